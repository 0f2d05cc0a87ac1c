namespace OneKvm.Collector.Configuration;

/// <summary>How to reach libvirt (<c>Libvirt:*</c>). <see cref="Uri"/> defaults to kvmrc's <c>LIBVIRT_URI</c>.</summary>
public sealed record LibvirtOptions
{
    /// <summary>The libvirt connection URI.</summary>
    public string Uri { get; set; } = "qemu:///system";

    /// <summary>Seconds one libvirt call may take before it fails (the connection is kept or reopened).</summary>
    public double TimeoutSeconds { get; set; } = 20;

    /// <summary>
    /// Hidden: answer every libvirt call from this recording (<c>OneKvm.Libvirt.Replay</c> JSON)
    /// instead of a connection; for fixture goldens and the scale harness.
    /// </summary>
    public string? Replay { get; set; }
}
