namespace OneKvm.Probes.Audit;

/// <summary>The audit of one window: capacity, one verdict per audited VM, who took whose time.</summary>
public sealed record ShareAuditResult
{
    public required double WindowSeconds { get; init; }

    public required double HostCpus { get; init; }

    /// <summary>Cores used by everything but the audited VMs (host busy − VM use), or null when the host's busy time is unknown.</summary>
    public double? NonVmCores { get; init; }

    /// <summary>Cores the VMs actually had: host CPUs minus the non-VM load.</summary>
    public required double CapacityCores { get; init; }

    public required IReadOnlyList<VmShareVerdict> Vms { get; init; }

    public required IReadOnlyList<CpuTransfer> Transfers { get; init; }

    /// <summary>VMs not audited (in one sample only, counter reset, unreadable), one line each.</summary>
    public required IReadOnlyList<string> Skipped { get; init; }

    /// <summary>Some VM drifted, starved or was noisy.</summary>
    public bool Findings => Vms.Any(v => v.Drift == true || v.Starved || v.Noisy);
}
