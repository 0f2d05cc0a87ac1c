using Prometheus;

namespace OneKvm.Collector.Exporter;

/// <summary>The per-VM, per-vCPU, per-disk and per-NIC tables of one family set (onekvm or OpenNebula).</summary>
internal sealed class VmTables
{
    private readonly List<MetricTable<VmMetricsSample>> vm;
    private readonly MetricTable<(VmMetricsSample, VcpuCounters)> vcpu;
    private readonly MetricTable<(VmMetricsSample, DiskCounters)> disk;
    private readonly MetricTable<(VmMetricsSample, NicCounters)> nic;

    private VmTables(
        List<MetricTable<VmMetricsSample>> vm,
        MetricTable<(VmMetricsSample, VcpuCounters)> vcpu,
        MetricTable<(VmMetricsSample, DiskCounters)> disk,
        MetricTable<(VmMetricsSample, NicCounters)> nic)
    {
        this.vm = vm;
        this.vcpu = vcpu;
        this.disk = disk;
        this.nic = nic;
    }

    public static VmTables OneKvm(IMetricFactory f) => new(
        [new(f, VmMetricSpecs.InfoLabels, VmMetricSpecs.Info), new(f, VmMetricSpecs.VmLabels, VmMetricSpecs.Vm)],
        new(f, VmMetricSpecs.VcpuLabels, VmMetricSpecs.Vcpu),
        new(f, VmMetricSpecs.DiskLabels, VmMetricSpecs.Disk),
        new(f, VmMetricSpecs.NicLabels, VmMetricSpecs.Nic));

    public static VmTables OpenNebula(IMetricFactory f) => new(
        [new(f, OpenNebulaLibvirtSpecs.StateLabels, OpenNebulaLibvirtSpecs.State), new(f, OpenNebulaLibvirtSpecs.VmLabels, OpenNebulaLibvirtSpecs.Vm)],
        new(f, OpenNebulaLibvirtSpecs.VcpuLabels, OpenNebulaLibvirtSpecs.Vcpu),
        new(f, OpenNebulaLibvirtSpecs.DiskLabels, OpenNebulaLibvirtSpecs.Disk),
        new(f, OpenNebulaLibvirtSpecs.NicLabels, OpenNebulaLibvirtSpecs.Nic));

    public void Apply(IReadOnlyList<VmMetricsSample> vms)
    {
        foreach (var table in vm) table.Apply(vms);
        vcpu.Apply(vms.SelectMany(v => v.Vcpus.Select(c => (v, c))));
        disk.Apply(vms.SelectMany(v => v.Disks.Select(d => (v, d))));
        nic.Apply(vms.SelectMany(v => v.Nics.Select(n => (v, n))));
    }
}
