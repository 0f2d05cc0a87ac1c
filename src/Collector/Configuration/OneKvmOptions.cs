using OneKvm.Cgroups;
using OneKvm.Probes;

namespace OneKvm.Collector.Configuration;

/// <summary>The whole configuration, bound from the layered sources (see <see cref="ConfigurationLoader"/>).</summary>
public sealed record OneKvmOptions
{
    /// <summary>Kernel and OpenNebula paths; <c>Paths:Root</c> re-roots all of them at once.</summary>
    public HostPaths Paths { get; init; } = HostPaths.Default;

    public LibvirtOptions Libvirt { get; init; } = new();

    public ProbeSettings Probes { get; init; } = new();

    /// <summary>Listen address and exporter switches of <c>serve</c>.</summary>
    public ServeOptions Serve { get; init; } = new();

    /// <summary>Files of <c>agent</c>.</summary>
    public AgentOptions Agent { get; init; } = new();

    /// <summary>Host reservations (host template values; oned's syntax: absolute, <c>N%</c>, negative).</summary>
    public HostReservationOptions Host { get; init; } = new();

    /// <summary>Settings of <c>onekvm-probe cgroups</c> (usage window, starved/noisy margins).</summary>
    public OneKvm.Probes.Cgroups.CgroupAuditSettings Cgroups { get; init; } = new();

    /// <summary>Log level of the commands (<c>--log-level</c>).</summary>
    public LoggingOptions Logging { get; init; } = new();
}

/// <summary><c>Logging:Level</c>: trace, debug, information, warning, error, critical or none.</summary>
public sealed record LoggingOptions
{
    public string Level { get; set; } = "information";
}

/// <summary>Options of <c>onekvm-probe serve</c>.</summary>
public sealed record ServeOptions
{
    /// <summary><c>ADDRESS:PORT</c>; 9926 replaces OpenNebula's libvirt exporter.</summary>
    public string Listen { get; set; } = "0.0.0.0:9926";

    /// <summary>Export the upstream-compatible <c>opennebula_libvirt_*</c> families.</summary>
    public bool OpenNebulaLibvirtMetrics { get; set; } = true;

    /// <summary>Seconds between two collections of a category (and of the libvirt check) unless <see cref="Intervals"/> says otherwise.</summary>
    public double IntervalSeconds { get; set; } = 15;

    /// <summary>Per-category interval in seconds (<c>Serve:Intervals:system_host=300</c>).</summary>
    public Dictionary<string, double> Intervals { get; set; } = new(StringComparer.Ordinal) { ["system_host"] = 300 };

    /// <summary>
    /// Categories <c>serve</c> does not run. <c>state_vm</c> reports changes against the agent's
    /// state store, so running it here would steal the agent's changes.
    /// </summary>
    public string[] ExcludeCategories { get; set; } = ["state_vm", "monitor_vm", "poll", "exec_vm", "snapshot_vm"];
}

/// <summary><c>RESERVED_CPU</c> / <c>RESERVED_MEM</c> as written in the host or cluster template.</summary>
public sealed record HostReservationOptions
{
    public string? ReservedCpu { get; set; }

    public string? ReservedMem { get; set; }
}

/// <summary>Options of <c>onekvm-probe agent</c>.</summary>
public sealed record AgentOptions
{
    /// <summary>Upstream's agent directory: <c>config</c>, <c>.monitor_client.pid</c>, <c>etc/monitord.conf</c>.</summary>
    public string DbDirectory { get; set; } = "/var/tmp/one_db";

    /// <summary>Where to write monitord.conf for shell senders; default <c>DbDirectory/etc/monitord.conf</c>.</summary>
    public string? MonitordConfPath { get; set; }

    /// <summary>Seconds a category may run at start-up and on each tick before it is reported failed (default: its period).</summary>
    public double? TimeoutSeconds { get; set; }

    public string ResolvedMonitordConfPath => MonitordConfPath ?? Path.Join(DbDirectory, "etc", "monitord.conf");
}
