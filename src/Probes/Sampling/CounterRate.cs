namespace OneKvm.Probes.Sampling;

/// <summary>
/// Increases and per-second rates of cumulative kernel and libvirt counters between two snapshots,
/// with one rule for every consumer (MONITOR_VM's CPU, MONITOR_HOST's FREECPU/USEDCPU, the audit):
/// a counter that went backwards was reset (VM restarted, cgroup recreated, counter wrapped): the
/// interval gives <b>no</b> increase for it (null), never a negative one and never a guess; the next
/// interval measures from the new value. Arithmetic is unsigned 64-bit, so nothing wraps.
/// </summary>
public static class CounterRate
{
    /// <summary>The increase from <paramref name="previous"/> to <paramref name="current"/>; null when it went backwards.</summary>
    public static ulong? Delta(ulong previous, ulong current) => current >= previous ? current - previous : null;

    /// <summary>
    /// The rate between (<paramref name="previous"/>, <paramref name="previousTime"/>) and
    /// (<paramref name="current"/>, <paramref name="currentTime"/>) in units per second; null when
    /// no time elapsed (or the clock went back), a value is absent, or the counter was reset.
    /// </summary>
    public static double? PerSecond(ulong? previous, DateTimeOffset previousTime, ulong? current, DateTimeOffset currentTime)
    {
        if (previous is not { } before || current is not { } now) return null;
        var seconds = (currentTime - previousTime).TotalSeconds;
        if (seconds <= 0) return null;
        return Delta(before, now) is { } delta ? delta / seconds : null;
    }
}
