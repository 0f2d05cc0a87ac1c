namespace OneKvm.Probes.Forecast;

/// <summary>
/// The recent history of one entity's (the host's or a VM's) sampled values, kept in two
/// resolutions: one-minute buckets for the near forecast and one-hour buckets for the far one (the
/// resolutions of upstream's <c>prediction.py</c>). Raw samples are folded into buckets as they come,
/// so memory stays bounded whatever the sampling period: at most <see cref="MinuteBuckets"/> +
/// retention-in-hours buckets per value. Not thread-safe: one sampler owns it.
/// </summary>
public sealed class MetricHistory
{
    /// <summary>Minute buckets kept (the near model looks at the last 60).</summary>
    public const int MinuteBuckets = 120;

    /// <summary>Hour buckets kept at most (the far model looks at the last 48), further bounded by retention.</summary>
    public const int MaxHourBuckets = 24 * 7 * 8;

    private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="value"/> of <paramref name="source"/> at <paramref name="time"/>; non-finite values and samples older than the last are ignored.</summary>
    public void Add(string source, DateTimeOffset time, double value)
    {
        if (!double.IsFinite(value)) return;
        if (!_series.TryGetValue(source, out var series)) _series[source] = series = new Series();
        series.Add(time.ToUnixTimeMilliseconds() / 1000.0, value);
    }

    /// <summary>Drops hour buckets older than <paramref name="retention"/> before <paramref name="now"/>.</summary>
    public void Prune(DateTimeOffset now, TimeSpan retention)
    {
        var oldest = now.ToUnixTimeSeconds() - (long)retention.TotalSeconds;
        foreach (var series in _series.Values) series.Prune(oldest);
    }

    internal IReadOnlyDictionary<string, Series> AllSeries => _series;

    internal Series? Get(string source) => _series.GetValueOrDefault(source);

    internal void Restore(string source, Series series) => _series[source] = series;

    /// <summary>A bucket: the mean of the samples in it (gauges) and the last sample (counters).</summary>
    internal sealed record Bucket(long Start, double Sum, int Count, double LastTime, double Last)
    {
        public double Mean => Sum / Count;

        public Bucket With(double time, double value) => new(Start, Sum + value, Count + 1, time, value);
    }

    /// <summary>One value's buckets and its last two raw samples.</summary>
    internal sealed class Series
    {
        public List<Bucket> Minutes { get; } = [];

        public List<Bucket> Hours { get; } = [];

        public (double Time, double Value)? Previous { get; set; }

        public (double Time, double Value)? Latest { get; set; }

        public void Add(double time, double value)
        {
            if (Latest is { } latest && time <= latest.Time) return;
            Previous = Latest;
            Latest = (time, value);
            Fold(Minutes, 60, time, value, MinuteBuckets);
            Fold(Hours, 3600, time, value, MaxHourBuckets);
        }

        public void Prune(long oldest) => Hours.RemoveAll(b => b.Start + 3600 <= oldest);

        private static void Fold(List<Bucket> buckets, long width, double time, double value, int keep)
        {
            var start = (long)Math.Floor(time / width) * width;
            if (buckets.Count > 0 && buckets[^1].Start == start) buckets[^1] = buckets[^1].With(time, value);
            else buckets.Add(new Bucket(start, value, 1, time, value));
            if (buckets.Count > keep) buckets.RemoveRange(0, buckets.Count - keep);
        }
    }
}
