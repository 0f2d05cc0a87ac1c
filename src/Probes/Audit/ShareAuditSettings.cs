namespace OneKvm.Probes.Audit;

/// <summary>Settings of the CPU-share audit (configuration section <c>Cgroups</c>).</summary>
public sealed record ShareAuditSettings
{
    /// <summary>Seconds between the two samples of <c>cgroups</c> (<c>--window</c>).</summary>
    public double WindowSeconds { get; set; } = 5.0;

    /// <summary>Absolute margin, in cores, a VM may fall short of or exceed its entitlement before it is flagged.</summary>
    public double ToleranceCores { get; set; } = 0.05;

    /// <summary>Relative margin (of the entitlement); the larger of the two margins applies.</summary>
    public double ToleranceRatio { get; set; } = 0.10;

    /// <summary>Share of the window some task of the VM waited for a CPU (PSI <c>some</c>) from which the VM counts as wanting more.</summary>
    public double PressureThreshold { get; set; } = 0.10;

    /// <summary>Use, as a share of the VM's vCPUs, from which the VM counts as running at its cap.</summary>
    public double CapRatio { get; set; } = 0.90;

    /// <summary>Cores below which an unthrottled VM is idle: it wants nothing more and is never flagged.</summary>
    public double IdleCores { get; set; } = 0.02;
}
