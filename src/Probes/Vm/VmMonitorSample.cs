namespace OneKvm.Probes.Vm;

/// <summary>
/// MONITOR_VM values of one OpenNebula VM, upstream units: CPU in percent of one host CPU, memory
/// in KiB (QEMU RSS + swap), cumulative byte and request counters. Null = not known this time
/// (the key is omitted and monitord keeps its previous value).
/// </summary>
public sealed record VmMonitorSample(
    int Id,
    string DeployId,
    string Name,
    double? CpuPercent,
    long? MemoryKiB,
    ulong? NetRxBytes,
    ulong? NetTxBytes,
    ulong? DiskReadBytes,
    ulong? DiskWriteBytes,
    ulong? DiskReadRequests,
    ulong? DiskWriteRequests)
{
    /// <summary>The forecast keys of this VM (upstream's <c>prediction.py</c>), in order; empty without history.</summary>
    public IReadOnlyList<(string Key, string Value)> Forecast { get; init; } = [];
}

/// <summary>One MONITOR_VM reading: the VMs' values, and the disk-size lines of locally monitored datastores.</summary>
/// <param name="Vms">One entry per OpenNebula VM running on the host.</param>
/// <param name="DatastoreDisks">Upstream's <c>monitor_ds_vm.rb</c> lines (<c>VM = [ ID = 42, MONITOR = "…"]</c>), possibly empty.</param>
public sealed record MonitorVmSample(IReadOnlyList<VmMonitorSample> Vms, string DatastoreDisks);
