using OneKvm.Cgroups.Layout;

namespace OneKvm.Probes.Audit;

/// <summary>Host side: cgroup mode, capacity after reservations, allocation, the VMs' parent cgroup.</summary>
public sealed record HostCgroupReport
{
    public required CgroupLayout Layout { get; init; }

    /// <summary>OpenNebula's <c>CGROUPS_VERSION</c> for this host (1 on hybrid hosts).</summary>
    public int CgroupsVersion => Layout.OpenNebulaCgroupsVersion;

    /// <summary><c>TOTALCPU</c>, percent units (100 per online CPU).</summary>
    public required long TotalCpu { get; init; }

    /// <summary><c>MAX_CPU</c> after <c>RESERVED_CPU</c>, percent units.</summary>
    public required long MaxCpu { get; init; }

    /// <summary><c>TOTALMEMORY</c>, KiB.</summary>
    public required long TotalMemoryKiB { get; init; }

    /// <summary><c>MAX_MEM</c> after <c>RESERVED_MEM</c>, KiB.</summary>
    public required long MaxMemoryKiB { get; init; }

    public string? ReservedCpu { get; init; }

    public string? ReservedMem { get; init; }

    /// <summary>Σ (int)(CPU × 100) of the running VMs whose CPU is known (oned's <c>CPU_USAGE</c>).</summary>
    public required long AllocatedCpu { get; init; }

    /// <summary>Σ MEMORY of the running VMs, KiB (oned's <c>MEM_USAGE</c>).</summary>
    public required long AllocatedMemoryKiB { get; init; }

    /// <summary>The cgroup all VM directories sit in (<c>/machine</c>, <c>/machine.slice</c>), host path of the memory controller.</summary>
    public string? ParentMemoryCgroup { get; init; }

    /// <summary>Memory limit of that parent; null = none.</summary>
    public long? ParentMemoryLimitBytes { get; init; }

    /// <summary><c>none</c>, <c>matches</c>, <c>below_max_mem</c> or <c>above_max_mem</c> (see the command help).</summary>
    public string? ParentMemoryLimitCheck { get; init; }
}
