using OneKvm.Probes.Audit;

namespace OneKvm.Collector.Exporter;

/// <summary>The cgroup audit as exporter inputs: per-VM cgroup figures and the host capacity part.</summary>
public sealed record ExporterCgroupAudit(VmCgroupSet Vms, HostMetricsSample Host)
{
    private const double NsPerSecond = 1e9;

    public static ExporterCgroupAudit From(CgroupReport report)
    {
        var vms = report.Vms.Select(v => new VmCgroupSample(v.Domain, v.VmId)
        {
            ExpectedCpuWeight = v.PromisedShares,
            AppliedCpuWeight = v.AppliedShares,
            CpuEntitlementRatio = v.Verdict?.EntitledCores is { } cores && report.Audit is { CapacityCores: > 0 } audit ? cores / audit.CapacityCores : null,
            CpuUsageSeconds = v.Sample?.CpuUsageNanoseconds / NsPerSecond,
            CpuThrottledSeconds = v.Sample?.CpuThrottledNanoseconds / NsPerSecond,
            CpuThrottledPeriods = v.Sample?.CpuThrottledPeriods,
            CpuPressureSomeSeconds = v.Sample?.CpuPressure?.SomeTotalMicroseconds / 1e6,
            CpuEntitledCores = v.Verdict?.EntitledCores,
            CpuUsedCores = v.Verdict?.UsedCores,
            Starved = v.Verdict?.Starved,
            Noisy = v.Verdict?.Noisy,
        }).ToList();
        var host = new HostMetricsSample
        {
            Cpus = report.Host.TotalCpu / 100.0,
            MaxCpus = report.Host.MaxCpu / 100.0,
            AllocatedCpus = report.Host.AllocatedCpu / 100.0,
            MemoryTotalBytes = report.Host.TotalMemoryKiB * 1024.0,
            MaxMemoryBytes = report.Host.MaxMemoryKiB * 1024.0,
            AllocatedMemoryBytes = report.Host.AllocatedMemoryKiB * 1024.0,
        };
        return new ExporterCgroupAudit(new VmCgroupSet(vms), host);
    }
}
