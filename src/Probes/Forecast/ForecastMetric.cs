namespace OneKvm.Probes.Forecast;

/// <summary>How a metric's samples are read.</summary>
public enum MetricKind
{
    /// <summary>A level (CPU use, memory): forecast as it is.</summary>
    Gauge,

    /// <summary>A cumulative counter (bytes since start): forecast as it is, from the last reset on.</summary>
    Counter,

    /// <summary>The per-second rate of a counter (<c>*_BW</c>): observed and forecast.</summary>
    Rate,
}

/// <summary>One forecast metric: the key prefix OpenNebula sees, the sampled value it comes from, and its kind.</summary>
/// <param name="Key">Key prefix, e.g. <c>USEDCPU</c> (→ <c>USEDCPU_FORECAST</c>, <c>USEDCPU_FORECAST_FAR</c>).</param>
/// <param name="Source">The sampled value's name in the history (a rate shares its counter's).</param>
/// <param name="Kind">How the samples are read.</param>
public sealed record ForecastMetric(string Key, string Source, MetricKind Kind)
{
    /// <summary>MONITOR_HOST's metrics, in upstream's order (<c>prediction.py</c> HOST_METRICS).</summary>
    public static IReadOnlyList<ForecastMetric> Host { get; } =
    [
        new("USEDCPU", "usedcpu", MetricKind.Gauge),
        new("FREECPU", "freecpu", MetricKind.Gauge),
        new("USEDMEMORY", "usedmemory", MetricKind.Gauge),
        new("FREEMEMORY", "freememory", MetricKind.Gauge),
        new("NETRX", "netrx", MetricKind.Counter),
        new("NETTX", "nettx", MetricKind.Counter),
        new("NETRX_BW", "netrx", MetricKind.Rate),
        new("NETTX_BW", "nettx", MetricKind.Rate),
    ];

    /// <summary>Each MONITOR_VM payload's metrics, in upstream's order (<c>prediction.py</c> VM_METRICS).</summary>
    public static IReadOnlyList<ForecastMetric> VirtualMachine { get; } =
    [
        new("CPU", "cpu", MetricKind.Gauge),
        new("MEMORY", "memory", MetricKind.Gauge),
        new("NETRX", "netrx", MetricKind.Counter),
        new("NETTX", "nettx", MetricKind.Counter),
        new("NETRX_BW", "netrx", MetricKind.Rate),
        new("NETTX_BW", "nettx", MetricKind.Rate),
        new("DISKRDBYTES", "diskrdbytes", MetricKind.Counter),
        new("DISKWRBYTES", "diskwrbytes", MetricKind.Counter),
        new("DISKRD_BW", "diskrdbytes", MetricKind.Rate),
        new("DISKWR_BW", "diskwrbytes", MetricKind.Rate),
        new("DISKRDIOPS", "diskrdiops", MetricKind.Counter),
        new("DISKWRIOPS", "diskwriops", MetricKind.Counter),
        new("DISKRDIOPS_BW", "diskrdiops", MetricKind.Rate),
        new("DISKWRIOPS_BW", "diskwriops", MetricKind.Rate),
    ];
}
