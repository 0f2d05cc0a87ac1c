using Prometheus;

namespace OneKvm.Collector.Exporter;

/// <summary>
/// Rows of <see cref="MetricSpec{TEntity}"/> sharing one <see cref="LabelSet{TEntity}"/>, bound to a
/// registry. <see cref="Apply"/> sets every series from the current entities and removes the series
/// of entities that are gone (diff against <c>GetAllLabelValues</c>). A counter that went backwards
/// (domain restarted) is recreated, so Prometheus sees a reset instead of a stuck value.
/// </summary>
public sealed class MetricTable<TEntity>
{
    private readonly LabelSet<TEntity> labels;
    private readonly List<(MetricSpec<TEntity> Spec, Collector<Gauge.Child>? Gauge, Collector<Counter.Child>? Counter)> rows = [];

    public MetricTable(IMetricFactory factory, LabelSet<TEntity> labels, IEnumerable<MetricSpec<TEntity>> specs)
    {
        this.labels = labels;
        foreach (var spec in specs)
        {
            if (spec.Kind == MetricKind.Counter)
            {
                rows.Add((spec, null, factory.CreateCounter(spec.Name, spec.Help,
                    new CounterConfiguration { LabelNames = labels.Names, SuppressInitialValue = true })));
            }
            else
            {
                rows.Add((spec, factory.CreateGauge(spec.Name, spec.Help,
                    new GaugeConfiguration { LabelNames = labels.Names, SuppressInitialValue = true }), null));
            }
        }
    }

    public IEnumerable<MetricSpec<TEntity>> Specs => rows.Select(r => r.Spec);

    /// <summary>Makes the exposition show exactly <paramref name="entities"/>.</summary>
    public void Apply(IEnumerable<TEntity> entities)
    {
        if (labels.Names.Length == 0)
        {
            ApplyUnlabelled(entities.LastOrDefault());
            return;
        }
        var current = entities.Select(e => (Entity: e, Labels: labels.Values(e))).ToList();
        foreach (var (spec, gauge, counter) in rows)
        {
            var present = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (entity, values) in current)
            {
                if (spec.Value(entity) is not { } value) continue;
                present.Add(Key(values));
                if (gauge is not null)
                {
                    gauge.WithLabels(values).Set(value);
                    continue;
                }
                var child = counter!.WithLabels(values);
                if (value < child.Value)
                {
                    counter.RemoveLabelled(values);
                    child = counter.WithLabels(values);
                }
                child.IncTo(value);
            }
            foreach (var old in (gauge?.GetAllLabelValues() ?? counter!.GetAllLabelValues()).ToList())
            {
                if (present.Contains(Key(old))) continue;
                if (gauge is not null) gauge.RemoveLabelled(old);
                else counter!.RemoveLabelled(old);
            }
        }
    }

    /// <summary>A family without labels (host level): one series, unpublished while the entity is absent.</summary>
    private void ApplyUnlabelled(TEntity? entity)
    {
        foreach (var (spec, gauge, counter) in rows)
        {
            var value = entity is null ? null : spec.Value(entity);
            if (gauge is not null)
            {
                var series = gauge.WithLabels([]);
                if (value is { } v) series.Set(v);
                else series.Unpublish();
                continue;
            }
            var total = counter!.WithLabels([]);
            if (value is not { } c)
            {
                total.Unpublish();
                continue;
            }
            // Host-level counters only go back with a reboot, which restarts the exporter too.
            total.IncTo(c);
            total.Publish();
        }
    }

    private static string Key(string[] values) => string.Join('\u0001', values);
}
