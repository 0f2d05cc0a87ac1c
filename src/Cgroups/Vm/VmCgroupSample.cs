using OneKvm.Cgroups.Files;
using OneKvm.Cgroups.Layout;

namespace OneKvm.Cgroups.Vm;

/// <summary>One read of a VM's cgroups. Base units; null = the file is absent in this layout (not 0).</summary>
public sealed record VmCgroupSample
{
    public required VmCgroupPaths Paths { get; init; }

    /// <summary>When the counters were read (from the injected clock).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary><c>cpu.shares</c> (v1) or <c>cpu.weight</c> (v2) of the VM directory, as the kernel applies it.</summary>
    public long? AppliedShares { get; init; }

    /// <summary>Which file <see cref="AppliedShares"/> came from (its scale).</summary>
    public CgroupVersion? SharesVersion { get; init; }

    /// <summary>Cumulative CPU time of the VM (all threads), ns.</summary>
    public long? CpuUsageNanoseconds { get; init; }

    /// <summary>File the usage came from: <c>cpu.stat</c> (cgroup2) or <c>cpuacct.usage</c> (v1).</summary>
    public string? CpuUsageSource { get; init; }

    /// <summary>CFS periods with a quota, and how many of them throttled.</summary>
    public long? CpuPeriods { get; init; }

    public long? CpuThrottledPeriods { get; init; }

    /// <summary>Total throttled time, ns (v1 <c>throttled_time</c> ns, v2 <c>throttled_usec</c> × 1000).</summary>
    public long? CpuThrottledNanoseconds { get; init; }

    /// <summary>CPU pressure of the VM's cgroup2 directory (PSI), when present.</summary>
    public PressureSample? CpuPressure { get; init; }

    public long? MemoryUsageBytes { get; init; }

    /// <summary>Anonymous memory: v2 <c>memory.stat anon</c>, v1 <c>memory.stat total_rss</c> (else <c>rss</c>).</summary>
    public long? MemoryAnonBytes { get; init; }

    public long? MemorySwapBytes { get; init; }

    /// <summary>Memory limit; null = no limit (or unknown).</summary>
    public long? MemoryLimitBytes { get; init; }

    public long? IoReadBytes { get; init; }

    public long? IoWriteBytes { get; init; }

    /// <summary>Per-vCPU cgroups (<c>vcpuN</c>), by index.</summary>
    public IReadOnlyList<VcpuCgroupSample> Vcpus { get; init; } = [];
}

/// <summary>One <c>vcpuN</c> cgroup: cumulative CPU time in ns (null when no usage file is there).</summary>
public sealed record VcpuCgroupSample(int Index, long? CpuUsageNanoseconds);
