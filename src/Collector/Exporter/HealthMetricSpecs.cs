using OneKvm.Collector.Pipeline;
using static OneKvm.Collector.Exporter.MetricKind;

namespace OneKvm.Collector.Exporter;

/// <summary>Per-probe health (like node_exporter's <c>node_scrape_collector_*</c>), libvirt liveness and build info.</summary>
public static class HealthMetricSpecs
{
    public static LabelSet<ProbeStatus> ProbeLabels { get; } = new(["probe"], s => [s.Source]);

    public static LabelSet<ProbeStatus> NoLabels { get; } = new([], _ => []);

    public static LabelSet<BuildVersion> BuildLabels { get; } = new(["version", "revision"], v => [v.Version, v.Revision]);

    /// <summary>Over the latest snapshot of every source.</summary>
    public static IReadOnlyList<MetricSpec<ProbeStatus>> Latest { get; } =
    [
        new("onekvm_probe_success", "1 when the probe's latest run succeeded, 0 when it failed, timed out or was incomplete.", Gauge, "", s => s.Success && s.Missing.Count == 0 ? 1 : 0),
        new("onekvm_probe_duration_seconds", "Duration of the probe's latest run.", Gauge, "seconds", s => s.Duration.TotalSeconds),
    ];

    /// <summary>Over the latest successful snapshot of every source.</summary>
    public static IReadOnlyList<MetricSpec<ProbeStatus>> LastSuccess { get; } =
    [
        new("onekvm_probe_last_success_timestamp_seconds", "Unix time of the probe's latest successful run.", Gauge, "seconds",
            s => s.Time.ToUnixTimeMilliseconds() / 1000.0),
    ];

    /// <summary>Over the latest snapshot of the <c>libvirt</c> source.</summary>
    public static IReadOnlyList<MetricSpec<ProbeStatus>> Libvirt { get; } =
    [
        new("onekvm_libvirt_up", "1 when libvirtd answered the latest check (the daemon's version), else 0.", Gauge, "", s => s.Success ? 1 : 0),
    ];

    public static IReadOnlyList<MetricSpec<ProbeStatus>> OpenNebulaLibvirt { get; } =
    [
        new(OpenNebulaLibvirtSpecs.DaemonUp, "1 when libvirtd answered, else 0 (OpenNebula libvirt exporter compatible).", Gauge, "", s => s.Success ? 1 : 0),
    ];

    public static IReadOnlyList<MetricSpec<BuildVersion>> Build { get; } =
    [
        new("onekvm_build_info", "onekvm-probe build: version and source revision (value 1).", Gauge, "", _ => 1),
    ];
}
