using OneKvm.Cgroups.Layout;

namespace OneKvm.Probes.Audit;

/// <summary>What the audit says of one VM over the window. Shares are on the scale of <see cref="SharesVersion"/>.</summary>
public sealed record VmShareVerdict
{
    /// <summary>The VM as read at the end of the window.</summary>
    public required VmShareSample Vm { get; init; }

    public string Key => Vm.Key;

    public string Domain => Vm.Domain;

    public int? VmId => Vm.VmId;

    public int Vcpus => Vm.Vcpus;

    public float? Cpu => Vm.Cpu;

    public CgroupVersion? SharesVersion => Vm.SharesVersion;

    /// <summary>What OpenNebula's rule gives for the CPU attribute; null for a wild VM.</summary>
    public long? PromisedShares { get; init; }

    /// <summary>What the cgroup file says (at the end of the window).</summary>
    public long? AppliedShares => Vm.AppliedShares;

    /// <summary>True/false when both shares are known, else null.</summary>
    public bool? Drift => PromisedShares is { } p && AppliedShares is { } a ? p != a : null;

    /// <summary>The weight the entitlement used: promised, else (wild VM) applied, else the scale's default.</summary>
    public required double Weight { get; init; }

    public required double WindowSeconds { get; init; }

    public required double UsedCores { get; init; }

    /// <summary>CFS periods throttled during the window.</summary>
    public ulong? ThrottledPeriods { get; init; }

    /// <summary>Share of the window some task of the VM waited for a CPU, 0–1.</summary>
    public double? CpuPressure { get; init; }

    public required DemandSignals Wanted { get; init; }

    /// <summary>Used less than the idle threshold and was not throttled.</summary>
    public required bool Idle { get; init; }

    /// <summary>Cores the VM would have taken: its vCPUs when it wanted more, else what it used.</summary>
    public required double DemandCores { get; init; }

    /// <summary>Its max-min fair part of the capacity by promised weight, capped by vCPUs and demand.</summary>
    public required double EntitledCores { get; init; }

    public required bool Starved { get; init; }

    public required bool Noisy { get; init; }
}
