using OneKvm.Cgroups;
using OneKvm.Probes.Virsh;

namespace OneKvm.Probes;

/// <summary>Everything a probe may touch: host paths, libvirt, the clock and its settings.</summary>
public sealed record ProbeContext
{
    public required HostPaths Paths { get; init; }

    public required IVirsh Virsh { get; init; }

    public required ProbeSettings Settings { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>Settings probes read (bound from configuration; kvmrc fills the libvirt part).</summary>
public sealed record ProbeSettings
{
    /// <summary>OpenNebula's host id, as passed to the probes (<c>kvm &lt;host_id&gt; &lt;hostname&gt;</c>).</summary>
    public int HostId { get; init; } = -1;

    /// <summary>Directory for state kept between runs (previous CPU samples, STATE_VM memory).</summary>
    public string StateDirectory { get; init; } = "/var/tmp/one_db/onekvm";

    /// <summary><c>SYNC_STATE_VM</c>: seconds between full STATE_VM reports (upstream 180).</summary>
    public int SyncStatePeriodSeconds { get; init; } = 180;

    /// <summary>
    /// Window of the CPU sample taken when no previous sample exists (first <c>--once</c>), seconds.
    /// </summary>
    public double FirstSampleWindowSeconds { get; init; } = 1.0;

    /// <summary>Whether the guest-agent line says monitoring is disabled (upstream default).</summary>
    public bool GuestAgentMonitoring { get; init; }

    /// <summary>Raw kvmrc variables (<c>LIBVIRT_URI</c>, <c>SHUTDOWN_TIMEOUT</c>, …) as read.</summary>
    public IReadOnlyDictionary<string, string> Kvmrc { get; init; } = new Dictionary<string, string>();
}
