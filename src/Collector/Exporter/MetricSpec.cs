namespace OneKvm.Collector.Exporter;

/// <summary>Prometheus metric type of a table row.</summary>
public enum MetricKind
{
    Gauge,
    Counter,
}

/// <summary>
/// One exported family as a table row: name, help, type, base unit, and the value selector over
/// an entity (a VM, a disk of a VM, …). A null value means "absent": no series for that entity.
/// </summary>
public sealed record MetricSpec<TEntity>(string Name, string Help, MetricKind Kind, string Unit, Func<TEntity, double?> Value);

/// <summary>The label names of a group of rows and how an entity gives their values.</summary>
public sealed record LabelSet<TEntity>(string[] Names, Func<TEntity, string[]> Values);
