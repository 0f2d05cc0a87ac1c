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

    /// <summary>
    /// The host daemon's socket (<c>serve</c> offers its libvirt and samples there; <c>agent</c>,
    /// <c>--once</c> and <c>cgroups</c> use it when a daemon answers). Default
    /// <see cref="DefaultSamplerSocket"/>, none while replaying a recording; empty: never shared.
    /// </summary>
    public string? SamplerSocket { get; set; }

    public const string DefaultSamplerSocket = "/run/onekvm/sampler.sock";

    /// <summary>The socket to offer or use, or null when sharing is off.</summary>
    public string? ResolvedSamplerSocket => SamplerSocket is { } s ? (s.Length == 0 ? null : s) : Replay is null ? DefaultSamplerSocket : null;
}
