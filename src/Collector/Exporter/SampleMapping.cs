using OneKvm.Probes.Host;

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
        ExporterCgroupAudit audit => [audit.Vms, audit.Host],
        MonitorHostSample monitor => [FromMonitorHost(monitor)],
        _ => [],
    };

    /// <summary>MONITOR_HOST → host memory, CPU use and physical-NIC bytes.</summary>
    public static HostMetricsSample FromMonitorHost(MonitorHostSample s) => new()
    {
        Cpus = s.TotalCpu / 100.0,
        CpuUsageRatio = s.Cpu is { } cpu && s.TotalCpu > 0 ? (double)cpu.Used / s.TotalCpu : null,
        MemoryTotalBytes = s.Memory.MemTotalKib * 1024.0,
        MemoryUsedBytes = s.Memory.UsedKib * 1024.0,
        MemoryFreeBytes = (s.Memory.MemTotalKib - s.Memory.UsedKib) * 1024.0,
        NetworkReceiveBytes = s.NetRxBytes,
        NetworkTransmitBytes = s.NetTxBytes,
    };

    /// <summary>Several sources describe the host; for each figure the first that has it wins.</summary>
    public static HostMetricsSample MergeHost(IEnumerable<HostMetricsSample> samples)
    {
        var merged = new HostMetricsSample();
        foreach (var s in samples)
        {
            merged = merged with
            {
                Cpus = merged.Cpus ?? s.Cpus,
                MaxCpus = merged.MaxCpus ?? s.MaxCpus,
                AllocatedCpus = merged.AllocatedCpus ?? s.AllocatedCpus,
                CpuUsageRatio = merged.CpuUsageRatio ?? s.CpuUsageRatio,
                MemoryTotalBytes = merged.MemoryTotalBytes ?? s.MemoryTotalBytes,
                MemoryUsedBytes = merged.MemoryUsedBytes ?? s.MemoryUsedBytes,
                MemoryFreeBytes = merged.MemoryFreeBytes ?? s.MemoryFreeBytes,
                MaxMemoryBytes = merged.MaxMemoryBytes ?? s.MaxMemoryBytes,
                AllocatedMemoryBytes = merged.AllocatedMemoryBytes ?? s.AllocatedMemoryBytes,
                NetworkReceiveBytes = merged.NetworkReceiveBytes ?? s.NetworkReceiveBytes,
                NetworkTransmitBytes = merged.NetworkTransmitBytes ?? s.NetworkTransmitBytes,
            };
        }
        return merged;
    }
}
