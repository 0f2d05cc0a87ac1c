using static OneKvm.Collector.Exporter.MetricKind;

namespace OneKvm.Collector.Exporter;

/// <summary>
/// OpenNebula's libvirt exporter families (<c>opennebula_libvirt_*</c>) with the upstream names,
/// and labels, so dashboards and rules keep working, but full-precision seconds instead of
/// whole-second truncation. Upstream types everything as a gauge; families whose upstream name ends
/// in <c>_total</c> are typed counter here (queries are unchanged, and <c>promtool check metrics</c>
/// rejects gauges named <c>_total</c>); the others stay gauges as upstream. Help texts without upstream's typos; the misspelled name
/// <c>memory_unsed_bytes</c> is kept because dashboards query it.
/// </summary>
public static class OpenNebulaLibvirtSpecs
{
    public const string DaemonUp = "opennebula_libvirt_daemon_up";

    private static string Name(VmMetricsSample v) => v.OneVmName ?? v.Domain;

    public static LabelSet<VmMetricsSample> VmLabels { get; } =
        new(["domain", "one_vm_id", "one_vm_name"], v => [v.Domain, v.OneVmIdLabel, Name(v)]);

    public static LabelSet<VmMetricsSample> StateLabels { get; } =
        new(["domain", "one_vm_id", "one_vm_name", "reason"],
            v => [v.Domain, v.OneVmIdLabel, Name(v), VmMetricSpecs.Index(v.StateReason ?? 0)]);

    public static LabelSet<(VmMetricsSample Vm, VcpuCounters Vcpu)> VcpuLabels { get; } =
        new(["domain", "one_vm_id", "one_vm_name", "vcpu"], e => [e.Vm.Domain, e.Vm.OneVmIdLabel, Name(e.Vm), VmMetricSpecs.Index(e.Vcpu.Index)]);

    public static LabelSet<(VmMetricsSample Vm, DiskCounters Disk)> DiskLabels { get; } =
        new(["domain", "one_vm_id", "one_vm_name", "disk", "device"],
            e => [e.Vm.Domain, e.Vm.OneVmIdLabel, Name(e.Vm), VmMetricSpecs.Index(e.Disk.Index), e.Disk.Device]);

    public static LabelSet<(VmMetricsSample Vm, NicCounters Nic)> NicLabels { get; } =
        new(["domain", "one_vm_id", "one_vm_name", "vnic", "device"],
            e => [e.Vm.Domain, e.Vm.OneVmIdLabel, Name(e.Vm), VmMetricSpecs.Index(e.Nic.Index), e.Nic.Device]);

    public static IReadOnlyList<MetricSpec<VmMetricsSample>> State { get; } =
    [
        new("opennebula_libvirt_state", "Domain state: 0 no state, 1 running, 2 blocked, 3 paused, 4 shutting down, 5 shut off, 6 crashed, 7 pmsuspended.", Gauge, "", v => v.State),
    ];

    public static IReadOnlyList<MetricSpec<VmMetricsSample>> Vm { get; } =
    [
        new("opennebula_libvirt_cpu_seconds_total", "Total CPU time of the domain.", Counter, "seconds", v => v.CpuSeconds),
        new("opennebula_libvirt_cpu_system_seconds_total", "System CPU time of the domain.", Counter, "seconds", v => v.CpuSystemSeconds),
        new("opennebula_libvirt_cpu_user_seconds_total", "User CPU time of the domain.", Counter, "seconds", v => v.CpuUserSeconds),
        new("opennebula_libvirt_memory_total_bytes", "Current balloon size of the domain.", Gauge, "bytes", v => v.MemoryBalloonBytes),
        new("opennebula_libvirt_memory_maximum_bytes", "Maximum memory of the domain.", Gauge, "bytes", v => v.MemoryMaximumBytes),
        new("opennebula_libvirt_memory_swapin_bytes_total", "Memory swapped in by the guest.", Counter, "bytes", v => v.MemorySwapInBytes),
        new("opennebula_libvirt_memory_swapout_bytes_total", "Memory swapped out by the guest.", Counter, "bytes", v => v.MemorySwapOutBytes),
        new("opennebula_libvirt_memory_unsed_bytes", "Memory unused by the guest.", Gauge, "bytes", v => v.MemoryUnusedBytes),
        new("opennebula_libvirt_memory_available_bytes", "Memory available to the guest.", Gauge, "bytes", v => v.MemoryAvailableBytes),
        new("opennebula_libvirt_memory_rss_bytes", "Resident memory of the domain's QEMU process.", Gauge, "bytes", v => v.MemoryRssBytes),
        new("opennebula_libvirt_vcpu_online", "Online virtual CPUs.", Gauge, "", v => v.VcpusOnline),
        new("opennebula_libvirt_vcpu_maximum", "Maximum virtual CPUs.", Gauge, "", v => v.VcpusMaximum),
        new("opennebula_libvirt_net_devices", "Number of network interfaces.", Gauge, "", v => v.Nics.Count),
        new("opennebula_libvirt_block_devices", "Number of block devices.", Gauge, "", v => v.Disks.Count),
    ];

    public static IReadOnlyList<MetricSpec<(VmMetricsSample Vm, VcpuCounters Vcpu)>> Vcpu { get; } =
    [
        new("opennebula_libvirt_vcpu_state", "Virtual CPU state: 0 offline, 1 running, 2 blocked.", Gauge, "", e => e.Vcpu.State),
        new("opennebula_libvirt_vcpu_time_seconds_total", "CPU time of the virtual CPU.", Counter, "seconds", e => e.Vcpu.TimeSeconds),
        new("opennebula_libvirt_vcpu_wait_seconds_total", "I/O wait time of the virtual CPU.", Counter, "seconds", e => e.Vcpu.WaitSeconds),
    ];

    public static IReadOnlyList<MetricSpec<(VmMetricsSample Vm, NicCounters Nic)>> Nic { get; } =
    [
        new("opennebula_libvirt_net_rx_total_bytes", "Bytes received.", Gauge, "bytes", e => e.Nic.RxBytes),
        new("opennebula_libvirt_net_tx_total_bytes", "Bytes transmitted.", Gauge, "bytes", e => e.Nic.TxBytes),
        new("opennebula_libvirt_net_rx_packets", "Packets received.", Gauge, "", e => e.Nic.RxPackets),
        new("opennebula_libvirt_net_tx_packets", "Packets transmitted.", Gauge, "", e => e.Nic.TxPackets),
        new("opennebula_libvirt_net_rx_errors", "Receive errors.", Gauge, "", e => e.Nic.RxErrors),
        new("opennebula_libvirt_net_tx_errors", "Transmit errors.", Gauge, "", e => e.Nic.TxErrors),
        new("opennebula_libvirt_net_rx_drops", "Received packets dropped.", Gauge, "", e => e.Nic.RxDrops),
        new("opennebula_libvirt_net_tx_drops", "Transmitted packets dropped.", Gauge, "", e => e.Nic.TxDrops),
    ];

    public static IReadOnlyList<MetricSpec<(VmMetricsSample Vm, DiskCounters Disk)>> Disk { get; } =
    [
        new("opennebula_libvirt_block_rd_requests", "Read requests.", Gauge, "", e => e.Disk.ReadRequests),
        new("opennebula_libvirt_block_wr_requests", "Write requests.", Gauge, "", e => e.Disk.WriteRequests),
        new("opennebula_libvirt_block_rd_bytes", "Bytes read.", Gauge, "bytes", e => e.Disk.ReadBytes),
        new("opennebula_libvirt_block_wr_bytes", "Bytes written.", Gauge, "bytes", e => e.Disk.WriteBytes),
        new("opennebula_libvirt_block_rd_time_seconds", "Time spent reading.", Gauge, "seconds", e => e.Disk.ReadTimeSeconds),
        new("opennebula_libvirt_block_wr_time_seconds", "Time spent writing.", Gauge, "seconds", e => e.Disk.WriteTimeSeconds),
        new("opennebula_libvirt_block_virtual_bytes", "Virtual size of the disk.", Gauge, "bytes", e => e.Disk.CapacityBytes),
        new("opennebula_libvirt_block_physical_bytes", "Host size of the disk image.", Gauge, "bytes", e => e.Disk.PhysicalBytes),
    ];
}
