using OneKvm.Collector.Pipeline;
using Prometheus;

namespace OneKvm.Collector.Exporter;

/// <summary>
/// Maps a <see cref="SnapshotSet"/> onto a prometheus-net registry (pure mapping: no I/O). Data
/// families come from the set's one <see cref="ExporterInput"/> (the latest host tick's projection);
/// a failing part's families disappear (its <c>onekvm_probe_success</c> is 0), as do the series of
/// vanished VMs, disks, NICs.
/// </summary>
public sealed class SnapshotExporter
{
    private readonly MetricTable<ProbeStatus> probes;
    private readonly MetricTable<ProbeStatus> lastSuccess;
    private readonly MetricTable<ProbeStatus> libvirt;
    private readonly MetricTable<ProbeStatus>? daemonUp;
    private readonly VmTables onekvm;
    private readonly VmTables? openNebula;
    private readonly MetricTable<HostMetricsSample> host;
    private readonly MetricTable<VmCgroupSample> cgroups;

    public SnapshotExporter(CollectorRegistry registry, bool openNebulaLibvirtMetrics, string version, string revision = "unknown")
    {
        Registry = registry;
        var factory = Metrics.WithCustomRegistry(registry);
        probes = new(factory, HealthMetricSpecs.ProbeLabels, HealthMetricSpecs.Latest);
        lastSuccess = new(factory, HealthMetricSpecs.ProbeLabels, HealthMetricSpecs.LastSuccess);
        libvirt = new(factory, HealthMetricSpecs.NoLabels, HealthMetricSpecs.Libvirt);
        new MetricTable<BuildVersion>(factory, HealthMetricSpecs.BuildLabels, HealthMetricSpecs.Build).Apply([new BuildVersion(version, revision)]);
        onekvm = VmTables.OneKvm(factory);
        host = new(factory, HostMetricSpecs.HostLabels, HostMetricSpecs.Host);
        cgroups = new(factory, HostMetricSpecs.CgroupLabels, HostMetricSpecs.Cgroup);
        if (openNebulaLibvirtMetrics)
        {
            daemonUp = new(factory, HealthMetricSpecs.NoLabels, HealthMetricSpecs.OpenNebulaLibvirt);
            openNebula = VmTables.OpenNebula(factory);
        }
    }

    public CollectorRegistry Registry { get; }

    public void Apply(SnapshotSet set)
    {
        probes.Apply(set.Latest.Values);
        lastSuccess.Apply(set.LastSuccess.Values);
        var libvirtSnapshot = set.Latest.GetValueOrDefault(LibvirtLiveness.SourceName);
        libvirt.Apply(libvirtSnapshot is null ? [] : [libvirtSnapshot]);
        daemonUp?.Apply(libvirtSnapshot is null ? [] : [libvirtSnapshot]);

        var input = set.Input;
        onekvm.Apply(input.Vms);
        openNebula?.Apply(input.Vms);
        host.Apply(input.Host is null ? [] : [input.Host]);
        cgroups.Apply(input.Cgroups);
    }
}
