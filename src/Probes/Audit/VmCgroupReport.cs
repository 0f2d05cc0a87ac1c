using OneKvm.Cgroups.Vm;

namespace OneKvm.Probes.Audit;

/// <summary>One running domain: what was read of it and, when both reads saw it, the audit's verdict.</summary>
public sealed record VmCgroupReport
{
    public required string Domain { get; init; }

    /// <summary>libvirt's UUID of the domain (what <c>--fix</c> addresses).</summary>
    public string? Uuid { get; init; }

    public int? VmId { get; init; }

    /// <summary>The OpenNebula CPU attribute, or null when unknown (wild VM without fallback).</summary>
    public float? Cpu { get; init; }

    /// <summary><c>vm.xml</c>, <c>domain-xml-shares</c> (fallback) or null.</summary>
    public string? CpuSource { get; init; }

    public required int Vcpus { get; init; }

    /// <summary>Memory allocated to the VM, KiB (vm.xml MEMORY, else the domain XML).</summary>
    public long? MemoryKiB { get; init; }

    /// <summary>OpenNebula's shares for the CPU attribute, on the scale of the VM's cpu cgroup.</summary>
    public long? PromisedShares { get; init; }

    public long? AppliedShares { get; init; }

    /// <summary>True/false when both shares are known; null otherwise.</summary>
    public bool? Drift => PromisedShares is { } e && AppliedShares is { } a ? e != a : null;

    /// <summary>Used, entitled, starved, noisy over the window; null when the VM was not audited.</summary>
    public VmShareVerdict? Verdict { get; init; }

    /// <summary>The latest read, or null when the VM's cgroups were not read.</summary>
    public VmCgroupSample? Sample { get; init; }

    /// <summary>Why the VM could not be read, or null.</summary>
    public string? Error { get; init; }

    /// <summary>The error is that the cgroups vanished during a read (the domain was stopping).</summary>
    public bool Vanished { get; init; }
}
