namespace OneKvm.Collector.Exporter;

/// <summary>
/// Which exporter inputs a source's sample provides. The exporter reads only these types; a
/// category sample that carries host, VM or cgroup data is mapped here (one case per sample type).
/// </summary>
public static class SampleMapping
{
    public static IEnumerable<object> ExporterInputs(object sample) => sample switch
    {
        VmMetricsSet or HostMetricsSample or VmCgroupSet => [sample],
        _ => [],
    };
}
