using OneKvm.Cgroups;
using OneKvm.Libvirt;
using OneKvm.Libvirt.Domain;
using OneKvm.Probes.Sampling;

namespace OneKvm.Probes;

/// <summary>Everything a probe may touch: host paths, libvirt, the clock and its settings.</summary>
public sealed record ProbeContext
{
    public required HostPaths Paths { get; init; }

    /// <summary>The process's one libvirt connection (or a replayed recording).</summary>
    public required ILibvirtClient Libvirt { get; init; }

    /// <summary>The process's host sample: every consumer reads the host's sources through it (each at most once per period).</summary>
    public required HostSampler Host { get; init; }

    /// <summary>The process's domain source (<see cref="HostSampler.Domains"/>): every VM consumer reads the domains through it (one stats call per period).</summary>
    public DomainSampler Domains => Host.Domains;

    public required ProbeSettings Settings { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where warnings go (stderr of the command): bad state rows dropped, a state directory that cannot be written.</summary>
    public Action<string> Warn { get; init; } = _ => { };

    /// <summary>Calls <see cref="Warn"/> the first time <paramref name="key"/> is seen in this process, so a lasting fault is said once.</summary>
    public void WarnOnce(string key, string message)
    {
        lock (warned)
        {
            if (!warned.Add(key)) return;
        }
        Warn(message);
    }

    private readonly HashSet<string> warned = new(StringComparer.Ordinal);

    /// <summary>Domain definitions, each XML read once per domain life and refreshed on libvirt's events.</summary>
    public required DomainDefinitionCache Definitions { get; init; }

    /// <summary>
    /// True when the entry already told the user that the state directory cannot be written (one
    /// warning naming it): writes into it then fail silently instead of warning once per file.
    /// </summary>
    public bool StateDirectoryReported { get; init; }

    /// <summary>Forecast history and model (MONITOR_HOST / MONITOR_VM <c>*_FORECAST</c> keys); none when null.</summary>
    public Forecast.ForecastRecorder? Forecasts { get; init; }
}

/// <summary>Settings probes read (bound from configuration; kvmrc fills the libvirt part).</summary>
public sealed record ProbeSettings
{
    /// <summary>OpenNebula's host id, as passed to the probes (<c>kvm &lt;host_id&gt; &lt;hostname&gt;</c>).</summary>
    public int HostId { get; set; } = -1;

    /// <summary>Directory for state kept between runs (previous CPU samples, STATE_VM memory).</summary>
    public string StateDirectory { get; set; } = "/var/tmp/one_db/onekvm";

    /// <summary><c>SYNC_STATE_VM</c>: seconds between full STATE_VM reports (upstream 180).</summary>
    public int SyncStatePeriodSeconds { get; set; } = 180;

    /// <summary>
    /// Window of the CPU sample taken when no previous sample exists (first <c>--once</c>), seconds.
    /// </summary>
    public double FirstSampleWindowSeconds { get; set; } = 1.0;

    /// <summary>Whether the guest-agent line says monitoring is disabled (upstream default).</summary>
    public bool GuestAgentMonitoring { get; set; }

    /// <summary>
    /// <c>times_missing</c> of upstream's <c>probe_db.conf</c> (shipped 5): consecutive STATE_VM runs a
    /// VM may be absent before it is reported with <c>MISSING_STATE</c>.
    /// </summary>
    public int TimesMissing { get; set; } = 5;

    /// <summary><c>obsolete</c> of <c>probe_db.conf</c>: minutes after which a remembered VM is forgotten (720).</summary>
    public int ObsoleteMinutes { get; set; } = 720;

    /// <summary>The domain (name or UUID) of the legacy <c>poll</c> category (<c>--vm</c>).</summary>
    public string? PollDomain { get; set; }

    /// <summary>Raw kvmrc variables (<c>LIBVIRT_URI</c>, <c>SHUTDOWN_TIMEOUT</c>, …) as read.</summary>
    public IReadOnlyDictionary<string, string> Kvmrc { get; set; } = new Dictionary<string, string>();
}
