namespace OneKvm.Probes.Forecast;

/// <summary>
/// The forecast model: a straight line fitted by least squares to the look-back window, guarded
/// against outliers (points whose residual exceeds 3.5 robust standard deviations, from the median
/// absolute deviation, are dropped and the line refitted) and against noise taken for a trend (a
/// slope within two standard errors of zero is treated as flat: the forecast is then the window's
/// robust level). The forecast is the line's value <c>horizon</c> after the last point, never below
/// zero, and for counters never below the last value. Cost: O(n) for n points, no allocation
/// beyond the point buffer.
/// </summary>
public static class Forecaster
{
    /// <summary>Fewer points than this give no forecast (too little history, as upstream prints no key).</summary>
    public const int MinimumPoints = 10;

    /// <returns>The forecast, or null when there are too few usable points.</returns>
    public static double? Predict(ReadOnlySpan<(double X, double Y)> points, double targetX, MetricKind kind)
    {
        if (points.Length < MinimumPoints) return null;
        var kept = points.ToArray();
        var fit = Fit(kept);
        if (fit is null) return null;
        var n = FilterOutliers(kept, fit.Value);
        if (n < kept.Length && n >= MinimumPoints / 2)
        {
            kept = kept[..n];
            fit = Fit(kept) ?? fit;
        }
        var (intercept, slope, slopeError, meanY) = fit.Value;
        double value;
        if (Math.Abs(slope) <= 2 * slopeError) value = kind == MetricKind.Counter ? points[^1].Y : meanY;
        else value = intercept + slope * targetX;
        if (!double.IsFinite(value)) return null;
        value = Math.Max(0, value);
        if (kind == MetricKind.Counter) value = Math.Max(value, points[^1].Y);
        return value;
    }

    private static (double Intercept, double Slope, double SlopeError, double MeanY)? Fit(ReadOnlySpan<(double X, double Y)> points)
    {
        var n = points.Length;
        if (n < 3) return null;
        double mx = 0, my = 0;
        foreach (var (x, y) in points)
        {
            mx += x;
            my += y;
        }
        mx /= n;
        my /= n;
        double sxx = 0, sxy = 0;
        foreach (var (x, y) in points)
        {
            sxx += (x - mx) * (x - mx);
            sxy += (x - mx) * (y - my);
        }
        if (sxx <= 0) return (my, 0, 0, my);
        var slope = sxy / sxx;
        var intercept = my - slope * mx;
        double sse = 0;
        foreach (var (x, y) in points)
        {
            var r = y - (intercept + slope * x);
            sse += r * r;
        }
        var slopeError = Math.Sqrt(sse / (n - 2) / sxx);
        return (intercept, slope, slopeError, my);
    }

    /// <summary>Moves the points within 3.5 robust sigmas of the line to the front; returns how many.</summary>
    private static int FilterOutliers((double X, double Y)[] points, (double Intercept, double Slope, double SlopeError, double MeanY) fit)
    {
        var residuals = new double[points.Length];
        for (var i = 0; i < points.Length; i++) residuals[i] = Math.Abs(points[i].Y - (fit.Intercept + fit.Slope * points[i].X));
        var sorted = (double[])residuals.Clone();
        Array.Sort(sorted);
        var mad = sorted[sorted.Length / 2];
        if (mad <= 0) return points.Length;
        var limit = 3.5 * 1.4826 * mad;
        var kept = 0;
        for (var i = 0; i < points.Length; i++)
        {
            if (residuals[i] <= limit) points[kept++] = points[i];
        }
        return kept;
    }
}
