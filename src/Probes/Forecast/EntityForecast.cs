namespace OneKvm.Probes.Forecast;

/// <summary>
/// The forecast keys of one entity, in upstream's order: for each metric, its observed value when
/// it is a rate (<c>NETRX_BW</c>), then <c>KEY_FORECAST</c> (near: one-minute points of the last hour,
/// <see cref="EntityForecastSettings.Period"/> ahead) and <c>KEY_FORECAST_FAR</c> (far: one-hour
/// points of the last 48 hours, <see cref="EntityForecastSettings.FarPeriod"/> ahead). A key is left
/// out while its history is too short; a rate's observed value only comes with its near forecast,
/// as upstream prints it. Counter rule (one rule everywhere): a counter that went down was reset and
/// counts from zero, so its delta is its new value.
/// </summary>
public static class EntityForecast
{
    private const int NearPoints = 60;
    private const int FarPoints = 48;

    public static IReadOnlyList<(string Key, string Value)> Compute(
        MetricHistory history, IReadOnlyList<ForecastMetric> metrics, EntityForecastSettings settings, DateTimeOffset now)
    {
        var result = new List<(string, string)>();
        var nowSeconds = now.ToUnixTimeMilliseconds() / 1000.0;
        foreach (var metric in metrics)
        {
            if (history.Get(metric.Source) is not { } series) continue;
            var near = Forecast(series.Minutes, NearPoints, 60, metric.Kind, nowSeconds, settings.Period);
            var far = Forecast(series.Hours, FarPoints, 3600, metric.Kind, nowSeconds, settings.FarPeriod);
            if (metric.Kind == MetricKind.Rate && near is not null && ObservedRate(series) is { } observed)
                result.Add((metric.Key, PythonFloat.FormatRounded(observed)));
            if (near is { } n) result.Add((metric.Key + "_FORECAST", PythonFloat.FormatRounded(n)));
            if (far is { } f) result.Add((metric.Key + "_FORECAST_FAR", PythonFloat.FormatRounded(f)));
        }
        return result;
    }

    /// <summary>The increase of a counter from <paramref name="previous"/> to <paramref name="current"/>; a decrease is a reset.</summary>
    public static double CounterDelta(double previous, double current) => current < previous ? current : current - previous;

    private static double? ObservedRate(MetricHistory.Series series)
    {
        if (series.Previous is not { } before || series.Latest is not { } latest) return null;
        var seconds = latest.Time - before.Time;
        return seconds > 0 ? CounterDelta(before.Value, latest.Value) / seconds : null;
    }

    private static double? Forecast(List<MetricHistory.Bucket> buckets, int window, long width, MetricKind kind, double now, TimeSpan ahead)
    {
        var oldest = now - window * width;
        var points = new List<(double X, double Y)>(window + 1);
        MetricHistory.Bucket? previous = null;
        foreach (var bucket in buckets)
        {
            if (bucket.Start + width <= oldest)
            {
                previous = bucket;
                continue;
            }
            switch (kind)
            {
                case MetricKind.Gauge:
                    points.Add((bucket.Start + width / 2.0 - now, bucket.Mean));
                    break;
                case MetricKind.Counter:
                    if (previous is { } p && bucket.Last < p.Last) points.Clear(); // reset: only the segment after it counts
                    points.Add((bucket.LastTime - now, bucket.Last));
                    break;
                case MetricKind.Rate:
                    if (previous is { } q && bucket.LastTime > q.LastTime)
                        points.Add((bucket.LastTime - now, CounterDelta(q.Last, bucket.Last) / (bucket.LastTime - q.LastTime)));
                    break;
            }
            previous = bucket;
        }
        return Forecaster.Predict(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(points), ahead.TotalSeconds, kind);
    }
}
