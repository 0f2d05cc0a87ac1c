using OneKvm.Probes.Host.Kernel;

namespace OneKvm.Probes.Host;

/// <summary>One MONITOR_HOST reading.</summary>
/// <param name="Memory"><c>/proc/meminfo</c>.</param>
/// <param name="TotalCpu">OpenNebula CPU units (100 per online thread).</param>
/// <param name="Cpu">FREECPU / USEDCPU, null when <c>/proc/stat</c> has no ticks at all.</param>
/// <param name="Nics">Physical NICs counted for NETRX / NETTX.</param>
/// <param name="Numa">Per-node hugepage and memory usage.</param>
public sealed record MonitorHostSample(
    MemInfo Memory,
    int TotalCpu,
    CpuUsage? Cpu,
    IReadOnlyList<NetDevice> Nics,
    IReadOnlyList<NumaNode> Numa)
{
    /// <summary>The forecast keys (upstream's <c>prediction.sh</c>), in order; empty without history.</summary>
    public IReadOnlyList<(string Key, string Value)> Forecast { get; init; } = [];

    /// <summary>Bytes received on physical NICs since they appeared.</summary>
    public ulong NetRxBytes => Nics.Aggregate(0UL, (sum, n) => sum + n.ReceiveBytes);

    /// <summary>Bytes sent on physical NICs since they appeared.</summary>
    public ulong NetTxBytes => Nics.Aggregate(0UL, (sum, n) => sum + n.TransmitBytes);
}
