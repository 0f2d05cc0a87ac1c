namespace OneKvm.Collector.Pipeline;

/// <summary>
/// Per-second rates of cumulative counters from two consecutive samples. A counter that went
/// backwards was reset (VM restarted, cgroup recreated): its delta is the new value, counted from
/// zero, as Prometheus' <c>rate()</c> does.
/// </summary>
public static class CounterRate
{
    /// <summary>
    /// The rate between (<paramref name="previous"/>, <paramref name="previousTime"/>) and
    /// (<paramref name="current"/>, <paramref name="currentTime"/>); null when no time elapsed or a value is absent.
    /// </summary>
    public static double? PerSecond(double? previous, DateTimeOffset previousTime, double? current, DateTimeOffset currentTime)
    {
        if (previous is not { } before || current is not { } now) return null;
        var seconds = (currentTime - previousTime).TotalSeconds;
        if (seconds <= 0) return null;
        return Delta(before, now) / seconds;
    }

    /// <summary>The increase from <paramref name="previous"/> to <paramref name="current"/>; a decrease is a reset.</summary>
    public static double Delta(double previous, double current) => current < previous ? current : current - previous;

    /// <summary>
    /// Rates of every key present in both samples (keys that appeared or vanished give no rate).
    /// </summary>
    public static IReadOnlyDictionary<TKey, double> PerSecond<TKey>(
        IReadOnlyDictionary<TKey, double> previous, DateTimeOffset previousTime,
        IReadOnlyDictionary<TKey, double> current, DateTimeOffset currentTime)
        where TKey : notnull
    {
        var rates = new Dictionary<TKey, double>();
        foreach (var (key, now) in current)
        {
            if (!previous.TryGetValue(key, out var before)) continue;
            if (PerSecond(before, previousTime, now, currentTime) is { } rate) rates[key] = rate;
        }
        return rates;
    }
}
