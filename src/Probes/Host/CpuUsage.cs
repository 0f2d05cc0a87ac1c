using OneKvm.Probes.Host.Kernel;

namespace OneKvm.Probes.Host;

/// <summary>FREECPU / USEDCPU in OpenNebula CPU units (100 per hardware thread).</summary>
public sealed record CpuUsage(int Free, int Used)
{
    /// <summary>
    /// Splits <paramref name="totalCpu"/> by the idle share of the ticks between two <c>/proc/stat</c>
    /// readings, as upstream's <c>TOTAL × vmstat id / 100</c> (iowait and steal count as used), in
    /// integer arithmetic rounding FREECPU down. A counter that went backwards (iowait may) counts as 0.
    /// Returns null when no tick passed.
    /// </summary>
    public static CpuUsage? Between(CpuTicks before, CpuTicks after, int totalCpu)
    {
        UInt128 idle = Delta(before.Idle, after.Idle);
        // 128-bit sum: eight deltas of counters near 2^64 cannot wrap.
        var total = (UInt128)Delta(before.User, after.User) + Delta(before.Nice, after.Nice) + Delta(before.System, after.System)
            + idle + Delta(before.IoWait, after.IoWait) + Delta(before.Irq, after.Irq)
            + Delta(before.SoftIrq, after.SoftIrq) + Delta(before.Steal, after.Steal);
        if (total == 0) return null;
        var free = (int)((ulong)totalCpu * idle / total);
        return new CpuUsage(free, totalCpu - free);
    }

    /// <summary>The ticks of a host that has just booted: <see cref="Between"/> from here gives the average since boot.</summary>
    public static CpuTicks Boot { get; } = new(0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>A field that went backwards (iowait may) contributes nothing (<see cref="Sampling.CounterRate"/>'s rule).</summary>
    private static ulong Delta(ulong before, ulong after) => Sampling.CounterRate.Delta(before, after) ?? 0;
}
