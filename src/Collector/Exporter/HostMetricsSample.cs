namespace OneKvm.Collector.Exporter;

/// <summary>
/// The exporter's input for the host (from the host sample's kernel snapshot, the reservations and
/// the cgroup audit's allocations; <see cref="HostProjection.Host"/>), in base units; null = absent.
/// </summary>
public sealed record HostMetricsSample
{
    /// <summary>Hardware threads (<c>TOTALCPU</c> ÷ 100).</summary>
    public double? Cpus { get; init; }

    /// <summary>Threads OpenNebula may allocate after <c>RESERVED_CPU</c> (<c>MAX_CPU</c> ÷ 100).</summary>
    public double? MaxCpus { get; init; }

    /// <summary>Threads allocated to the host's VMs (sum of their <c>CPU</c>).</summary>
    public double? AllocatedCpus { get; init; }

    /// <summary>Share of the host's CPU time used (<c>USEDCPU</c> ÷ <c>TOTALCPU</c>).</summary>
    public double? CpuUsageRatio { get; init; }

    public double? MemoryTotalBytes { get; init; }

    public double? MemoryUsedBytes { get; init; }

    public double? MemoryFreeBytes { get; init; }

    /// <summary><c>MAX_MEM</c> × 1024: memory OpenNebula may allocate after <c>RESERVED_MEM</c>.</summary>
    public double? MaxMemoryBytes { get; init; }

    /// <summary>Memory allocated to the host's VMs (sum of their <c>MEMORY</c>).</summary>
    public double? AllocatedMemoryBytes { get; init; }

    public double? NetworkReceiveBytes { get; init; }

    public double? NetworkTransmitBytes { get; init; }
}

/// <summary>The exporter's input for one VM's cgroup: CPU weight expected by OpenNebula vs applied, usage, throttling, pressure.</summary>
public sealed record VmCgroupSample(string Domain, int? OneVmId)
{
    /// <summary>Shares (v1) or weight (v2) OpenNebula's template asks for.</summary>
    public double? ExpectedCpuWeight { get; init; }

    /// <summary>Shares or weight found in the cgroup.</summary>
    public double? AppliedCpuWeight { get; init; }

    /// <summary>The VM's fair share of the host's CPU under contention (0..1).</summary>
    public double? CpuEntitlementRatio { get; init; }

    public double? CpuUsageSeconds { get; init; }

    public double? CpuThrottledSeconds { get; init; }

    public double? CpuThrottledPeriods { get; init; }

    /// <summary>PSI <c>cpu.pressure</c> <c>some total</c> in seconds.</summary>
    public double? CpuPressureSomeSeconds { get; init; }

    /// <summary>The audit's fair share of the host's cores (entitlement), cores.</summary>
    public double? CpuEntitledCores { get; init; }

    /// <summary>CPU use measured over the audit's window, cores.</summary>
    public double? CpuUsedCores { get; init; }

    /// <summary>The audit's starved flag (under its entitlement while throttled or stalled); null when usage was not measured.</summary>
    public bool? Starved { get; init; }

    /// <summary>The audit's noisy flag (over its entitlement while the cores are contended); null when usage was not measured.</summary>
    public bool? Noisy { get; init; }
}
