using System.Globalization;
using static OneKvm.Collector.Exporter.MetricKind;

namespace OneKvm.Collector.Exporter;

/// <summary>
/// The <c>onekvm_vm_*</c> families: correct types (counters end in <c>_total</c>), base units, full
/// precision, identity on <c>domain</c> + <c>one_vm_id</c> (empty for wild domains); names and
/// UUIDs live on <c>onekvm_vm_info</c>.
/// </summary>
public static class VmMetricSpecs
{
    public static LabelSet<VmMetricsSample> VmLabels { get; } = new(["domain", "one_vm_id"], v => [v.Domain, Id(v)]);

    public static LabelSet<VmMetricsSample> InfoLabels { get; } =
        new(["domain", "one_vm_id", "uuid", "one_vm_name"], v => [v.Domain, Id(v), v.Uuid ?? "", v.OneVmName ?? ""]);

    public static LabelSet<(VmMetricsSample Vm, VcpuCounters Vcpu)> VcpuLabels { get; } =
        new(["domain", "one_vm_id", "vcpu"], e => [e.Vm.Domain, Id(e.Vm), Index(e.Vcpu.Index)]);

    public static LabelSet<(VmMetricsSample Vm, DiskCounters Disk)> DiskLabels { get; } =
        new(["domain", "one_vm_id", "disk", "device"], e => [e.Vm.Domain, Id(e.Vm), Index(e.Disk.Index), e.Disk.Device]);

    public static LabelSet<(VmMetricsSample Vm, NicCounters Nic)> NicLabels { get; } =
        new(["domain", "one_vm_id", "nic", "device"], e => [e.Vm.Domain, Id(e.Vm), Index(e.Nic.Index), e.Nic.Device]);

    public static IReadOnlyList<MetricSpec<VmMetricsSample>> Info { get; } =
    [
        new("onekvm_vm_info", "Domain identity: libvirt name, OpenNebula id and name, UUID (value 1).", Gauge, "", _ => 1),
    ];

    public static IReadOnlyList<MetricSpec<VmMetricsSample>> Vm { get; } =
    [
        new("onekvm_vm_state", "libvirt domain state: 0 no state, 1 running, 2 blocked, 3 paused, 4 shutting down, 5 shut off, 6 crashed, 7 pmsuspended.", Gauge, "", v => v.State),
        new("onekvm_vm_cpu_seconds_total", "CPU time used by the domain (libvirt cpu.time).", Counter, "seconds", v => v.CpuSeconds),
        new("onekvm_vm_cpu_user_seconds_total", "User-mode CPU time of the domain (cpu.user).", Counter, "seconds", v => v.CpuUserSeconds),
        new("onekvm_vm_cpu_system_seconds_total", "Kernel-mode CPU time of the domain (cpu.system).", Counter, "seconds", v => v.CpuSystemSeconds),
        new("onekvm_vm_cpu_usage_ratio", "CPU used over the sampler's interval, in host CPUs (1 = one CPU busy; MONITOR_VM CPU / 100).", Gauge, "", v => v.CpuUsageRatio),
        new("onekvm_vm_memory_balloon_bytes", "Memory the balloon currently gives the guest (balloon.current).", Gauge, "bytes", v => v.MemoryBalloonBytes),
        new("onekvm_vm_memory_maximum_bytes", "Maximum memory of the domain (balloon.maximum).", Gauge, "bytes", v => v.MemoryMaximumBytes),
        new("onekvm_vm_memory_rss_bytes", "Resident host memory of the QEMU process (VmRSS; MONITOR_VM MEMORY = rss + swap).", Gauge, "bytes", v => v.MemoryRssBytes),
        new("onekvm_vm_memory_swap_bytes", "Host swap used by the QEMU process (VmSwap; MONITOR_VM MEMORY = rss + swap).", Gauge, "bytes", v => v.MemoryHostSwapBytes),
        new("onekvm_vm_memory_available_bytes", "Memory the guest reports as available (balloon.available; needs the balloon driver).", Gauge, "bytes", v => v.MemoryAvailableBytes),
        new("onekvm_vm_memory_unused_bytes", "Memory the guest reports as unused (balloon.unused; needs the balloon driver).", Gauge, "bytes", v => v.MemoryUnusedBytes),
        new("onekvm_vm_memory_swap_in_bytes_total", "Memory swapped in by the guest (balloon.swap_in).", Counter, "bytes", v => v.MemorySwapInBytes),
        new("onekvm_vm_memory_swap_out_bytes_total", "Memory swapped out by the guest (balloon.swap_out).", Counter, "bytes", v => v.MemorySwapOutBytes),
        new("onekvm_vm_vcpus_online", "Online virtual CPUs (vcpu.current).", Gauge, "", v => v.VcpusOnline),
        new("onekvm_vm_vcpus_maximum", "Maximum virtual CPUs (vcpu.maximum).", Gauge, "", v => v.VcpusMaximum),
    ];

    public static IReadOnlyList<MetricSpec<(VmMetricsSample Vm, VcpuCounters Vcpu)>> Vcpu { get; } =
    [
        new("onekvm_vm_vcpu_state", "Virtual CPU state: 0 offline, 1 running, 2 blocked.", Gauge, "", e => e.Vcpu.State),
        new("onekvm_vm_vcpu_time_seconds_total", "CPU time of the virtual CPU thread (vcpu.N.time).", Counter, "seconds", e => e.Vcpu.TimeSeconds),
        new("onekvm_vm_vcpu_wait_seconds_total", "Time the virtual CPU waited on I/O (vcpu.N.wait).", Counter, "seconds", e => e.Vcpu.WaitSeconds),
        new("onekvm_vm_vcpu_delay_seconds_total", "Time the virtual CPU was runnable but not running on the host: steal (vcpu.N.delay).", Counter, "seconds", e => e.Vcpu.DelaySeconds),
    ];

    public static IReadOnlyList<MetricSpec<(VmMetricsSample Vm, DiskCounters Disk)>> Disk { get; } =
    [
        new("onekvm_vm_disk_read_requests_total", "Read requests (block.N.rd.reqs).", Counter, "", e => e.Disk.ReadRequests),
        new("onekvm_vm_disk_write_requests_total", "Write requests (block.N.wr.reqs).", Counter, "", e => e.Disk.WriteRequests),
        new("onekvm_vm_disk_read_bytes_total", "Bytes read (block.N.rd.bytes).", Counter, "bytes", e => e.Disk.ReadBytes),
        new("onekvm_vm_disk_write_bytes_total", "Bytes written (block.N.wr.bytes).", Counter, "bytes", e => e.Disk.WriteBytes),
        new("onekvm_vm_disk_read_time_seconds_total", "Time spent reading (block.N.rd.times).", Counter, "seconds", e => e.Disk.ReadTimeSeconds),
        new("onekvm_vm_disk_write_time_seconds_total", "Time spent writing (block.N.wr.times).", Counter, "seconds", e => e.Disk.WriteTimeSeconds),
        new("onekvm_vm_disk_capacity_bytes", "Virtual size of the disk (block.N.capacity).", Gauge, "bytes", e => e.Disk.CapacityBytes),
        new("onekvm_vm_disk_physical_bytes", "Host size of the disk image (block.N.physical).", Gauge, "bytes", e => e.Disk.PhysicalBytes),
        new("onekvm_vm_disk_allocation_bytes", "Highest allocated offset of the disk image (block.N.allocation).", Gauge, "bytes", e => e.Disk.AllocationBytes),
    ];

    public static IReadOnlyList<MetricSpec<(VmMetricsSample Vm, NicCounters Nic)>> Nic { get; } =
    [
        new("onekvm_vm_network_receive_bytes_total", "Bytes received (net.N.rx.bytes).", Counter, "bytes", e => e.Nic.RxBytes),
        new("onekvm_vm_network_receive_packets_total", "Packets received (net.N.rx.pkts).", Counter, "", e => e.Nic.RxPackets),
        new("onekvm_vm_network_receive_errors_total", "Receive errors (net.N.rx.errs).", Counter, "", e => e.Nic.RxErrors),
        new("onekvm_vm_network_receive_drops_total", "Received packets dropped (net.N.rx.drop).", Counter, "", e => e.Nic.RxDrops),
        new("onekvm_vm_network_transmit_bytes_total", "Bytes transmitted (net.N.tx.bytes).", Counter, "bytes", e => e.Nic.TxBytes),
        new("onekvm_vm_network_transmit_packets_total", "Packets transmitted (net.N.tx.pkts).", Counter, "", e => e.Nic.TxPackets),
        new("onekvm_vm_network_transmit_errors_total", "Transmit errors (net.N.tx.errs).", Counter, "", e => e.Nic.TxErrors),
        new("onekvm_vm_network_transmit_drops_total", "Transmitted packets dropped (net.N.tx.drop).", Counter, "", e => e.Nic.TxDrops),
    ];

    private static string Id(VmMetricsSample v) => v.OneVmId?.ToString(CultureInfo.InvariantCulture) ?? "";

    internal static string Index(int index) => index.ToString(CultureInfo.InvariantCulture);
}
