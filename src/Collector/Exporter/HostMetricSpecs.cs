using System.Globalization;
using static OneKvm.Collector.Exporter.MetricKind;

namespace OneKvm.Collector.Exporter;

/// <summary>The <c>onekvm_host_*</c> and <c>onekvm_vm_cgroup_*</c> families.</summary>
public static class HostMetricSpecs
{
    public static LabelSet<HostMetricsSample> HostLabels { get; } = new([], _ => []);

    public static LabelSet<VmCgroupSample> CgroupLabels { get; } =
        new(["domain", "one_vm_id"], v => [v.Domain, v.OneVmId?.ToString(CultureInfo.InvariantCulture) ?? ""]);

    public static IReadOnlyList<MetricSpec<HostMetricsSample>> Host { get; } =
    [
        new("onekvm_host_cpus", "Hardware threads of the host (TOTALCPU / 100).", Gauge, "", h => h.Cpus),
        new("onekvm_host_max_cpus", "Threads OpenNebula may allocate after RESERVED_CPU (MAX_CPU / 100).", Gauge, "", h => h.MaxCpus),
        new("onekvm_host_allocated_cpus", "Threads allocated to the host's VMs (sum of their CPU).", Gauge, "", h => h.AllocatedCpus),
        new("onekvm_host_cpu_usage_ratio", "Share of the host's CPU time in use (USEDCPU / TOTALCPU).", Gauge, "ratio", h => h.CpuUsageRatio),
        new("onekvm_host_memory_total_bytes", "Host memory (TOTALMEMORY).", Gauge, "bytes", h => h.MemoryTotalBytes),
        new("onekvm_host_memory_used_bytes", "Host memory in use (USEDMEMORY).", Gauge, "bytes", h => h.MemoryUsedBytes),
        new("onekvm_host_memory_free_bytes", "Host memory free (FREEMEMORY).", Gauge, "bytes", h => h.MemoryFreeBytes),
        new("onekvm_host_max_memory_bytes", "Memory OpenNebula may allocate after RESERVED_MEM (MAX_MEM).", Gauge, "bytes", h => h.MaxMemoryBytes),
        new("onekvm_host_allocated_memory_bytes", "Memory allocated to the host's VMs (sum of their MEMORY).", Gauge, "bytes", h => h.AllocatedMemoryBytes),
        new("onekvm_host_network_receive_bytes_total", "Bytes received on the host's interfaces (NETRX).", Counter, "bytes", h => h.NetworkReceiveBytes),
        new("onekvm_host_network_transmit_bytes_total", "Bytes transmitted on the host's interfaces (NETTX).", Counter, "bytes", h => h.NetworkTransmitBytes),
    ];

    public static IReadOnlyList<MetricSpec<VmCgroupSample>> Cgroup { get; } =
    [
        new("onekvm_vm_cgroup_cpu_weight_expected", "CPU shares (v1) or weight (v2) OpenNebula's template asks for.", Gauge, "", v => v.ExpectedCpuWeight),
        new("onekvm_vm_cgroup_cpu_weight_applied", "CPU shares (v1) or weight (v2) set on the VM's cgroup.", Gauge, "", v => v.AppliedCpuWeight),
        new("onekvm_vm_cgroup_cpu_weight_drift", "Applied minus expected CPU shares or weight (0 = as configured).", Gauge, "",
            v => v.AppliedCpuWeight - v.ExpectedCpuWeight),
        new("onekvm_vm_cpu_entitlement_ratio", "The VM's fair share of the host's CPU time under full contention.", Gauge, "ratio", v => v.CpuEntitlementRatio),
        new("onekvm_vm_cgroup_cpu_usage_seconds_total", "CPU time charged to the VM's cgroup.", Counter, "seconds", v => v.CpuUsageSeconds),
        new("onekvm_vm_cgroup_cpu_throttled_seconds_total", "Time the VM's cgroup was throttled by its CPU quota.", Counter, "seconds", v => v.CpuThrottledSeconds),
        new("onekvm_vm_cgroup_cpu_throttled_periods_total", "Quota periods in which the VM's cgroup was throttled.", Counter, "", v => v.CpuThrottledPeriods),
        new("onekvm_vm_cgroup_cpu_pressure_some_seconds_total", "Time some of the VM's tasks waited for CPU (PSI).", Counter, "seconds", v => v.CpuPressureSomeSeconds),
        new("onekvm_vm_cpu_starved", "1 when the audit found the VM under its entitlement while throttled or stalled on CPU, else 0.", Gauge, "",
            v => v.Starved is { } s ? (s ? 1 : 0) : null),
        new("onekvm_vm_cpu_noisy", "1 when the audit found the VM over its entitlement while the VMs keep the cores busy, else 0.", Gauge, "",
            v => v.Noisy is { } n ? (n ? 1 : 0) : null),
    ];
}
