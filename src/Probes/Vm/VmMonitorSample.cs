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
    ulong? DiskWriteRequests);
