using OneKvm.Cgroups.Layout;
using OneKvm.Cgroups.Vm;

namespace OneKvm.Probes.Audit;

/// <summary>The cgroups audit of one host: a typed snapshot for the command and the exporter.</summary>
public sealed record CgroupReport(HostCgroupReport Host, IReadOnlyList<VmCgroupReport> Vms, IReadOnlyList<string> Warnings);

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

    /// <summary>Cores shared out by the entitlement (MAX_CPU / 100).</summary>
    public double CapacityCores => MaxCpu / 100.0;

    /// <summary>Length of the usage window, seconds (0 when usage was not measured).</summary>
    public required double WindowSeconds { get; init; }
}

/// <summary>One running domain.</summary>
public sealed record VmCgroupReport
{
    public required string Domain { get; init; }

    public int? VmId { get; init; }

    /// <summary>The OpenNebula CPU attribute, or null when unknown (wild VM without fallback).</summary>
    public float? Cpu { get; init; }

    /// <summary><c>vm.xml</c>, <c>domain-xml-shares</c> (fallback) or null.</summary>
    public string? CpuSource { get; init; }

    public required int Vcpus { get; init; }

    /// <summary>Memory allocated to the VM, KiB (vm.xml MEMORY, else the domain XML).</summary>
    public long? MemoryKiB { get; init; }

    public long? ExpectedShares { get; init; }

    public long? AppliedShares { get; init; }

    /// <summary>True/false when both shares are known; null otherwise.</summary>
    public bool? Drift => ExpectedShares is { } e && AppliedShares is { } a ? e != a : null;

    /// <summary>Weighted max-min fair share of the host capacity, cores.</summary>
    public double? EntitledCores { get; init; }

    /// <summary>Measured CPU use over the window, cores.</summary>
    public double? UsedCores { get; init; }

    /// <summary>Per-vCPU use over the window, cores, by index.</summary>
    public IReadOnlyList<VcpuUsage> VcpuUsedCores { get; init; } = [];

    /// <summary>Periods throttled during the window (CFS quota).</summary>
    public long? ThrottledPeriods { get; init; }

    /// <summary>Share of the window some task of the VM stalled waiting for CPU (PSI <c>some</c>), 0–1.</summary>
    public double? CpuPressure { get; init; }

    public bool Starved { get; init; }

    public bool Noisy { get; init; }

    /// <summary>The second (latest) sample, or null when the VM's cgroups were not found.</summary>
    public VmCgroupSample? Sample { get; init; }

    /// <summary>Why the VM could not be read, or null.</summary>
    public string? Error { get; init; }
}

/// <summary>The result of <c>--fix</c> on one domain; shares read back from the kernel.</summary>
public sealed record ShareFix(string Domain, long? Before, long Target, long? After, string? Error)
{
    public bool Fixed => Error is null && After == Target;
}

/// <summary>CPU use of one vCPU cgroup over the window, cores.</summary>
public sealed record VcpuUsage(int Index, double? UsedCores);
