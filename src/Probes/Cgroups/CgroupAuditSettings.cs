namespace OneKvm.Probes.Cgroups;

/// <summary>Settings of the cgroups audit (configuration section <c>Cgroups</c>).</summary>
public sealed record CgroupAuditSettings
{
    /// <summary>Seconds between the two counter samples that give CPU use; 0 skips the measurement.</summary>
    public double UsageWindowSeconds { get; set; } = 1.0;

    /// <summary>Relative margin around the entitlement before a VM counts as starved or noisy.</summary>
    public double Tolerance { get; set; } = 0.10;

    /// <summary>Share of the window with CPU stalls (PSI <c>some</c>) above which a VM under its entitlement counts as starved.</summary>
    public double PressureThreshold { get; set; } = 0.10;
}
