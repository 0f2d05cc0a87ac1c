using OneKvm.Probes.Forecast;

namespace OneKvm.Probes.Tests.Forecast;

/// <summary>The forecast model on synthetic series with known answers (x in seconds relative to now).</summary>
public class ForecasterTests
{
    private static (double X, double Y)[] Series(int n, Func<int, double> y, int step = 60) =>
        [.. Enumerable.Range(0, n).Select(i => ((double)(i - n + 1) * step, y(i)))];

    [Fact]
    public void Constant_series_forecasts_the_constant()
    {
        Forecaster.Predict(Series(60, _ => 42.5), 300, MetricKind.Gauge).ShouldBe(42.5);
    }

    [Fact]
    public void Linear_trend_is_extrapolated_to_the_target()
    {
        // y = 10 + 0.5 per minute; last point at x=0 has y = 10 + 0.5*59; 5 minutes ahead adds 2.5.
        var value = Forecaster.Predict(Series(60, i => 10 + 0.5 * i), 300, MetricKind.Gauge);
        value.ShouldNotBeNull();
        value.Value.ShouldBe(10 + 0.5 * 59 + 2.5, 1e-9);
    }

    [Fact]
    public void Too_little_history_gives_no_forecast()
    {
        Forecaster.Predict(Series(Forecaster.MinimumPoints - 1, i => i), 300, MetricKind.Gauge).ShouldBeNull();
    }

    [Fact]
    public void A_single_spike_does_not_bend_the_line()
    {
        var points = Series(60, i => i == 30 ? 10_000 : 20 + 0.1 * i);
        var value = Forecaster.Predict(points, 300, MetricKind.Gauge);
        value.ShouldNotBeNull();
        value.Value.ShouldBe(20 + 0.1 * 59 + 0.5, 0.01);
    }

    [Fact]
    public void Noise_without_trend_forecasts_the_level_not_a_slope()
    {
        var random = new Random(7);
        var points = Series(60, _ => 50 + (random.NextDouble() - 0.5) * 10);
        var value = Forecaster.Predict(points, 720 * 3600, MetricKind.Gauge); // a far horizon magnifies any spurious slope
        value.ShouldNotBeNull();
        value.Value.ShouldBe(points.Average(p => p.Y), 1e-9);
    }

    [Fact]
    public void A_step_forecasts_near_the_new_level_side_of_the_window()
    {
        // 40 minutes at 10, then 20 minutes at 30: the fitted line rises; the forecast lies above the old level.
        var value = Forecaster.Predict(Series(60, i => i < 40 ? 10 : 30), 300, MetricKind.Gauge);
        value.ShouldNotBeNull();
        value.Value.ShouldBeGreaterThan(20);
    }

    [Fact]
    public void Gauges_are_never_forecast_below_zero()
    {
        Forecaster.Predict(Series(60, i => 100 - 2.0 * i), 3600, MetricKind.Gauge).ShouldBe(0);
    }

    [Fact]
    public void Counters_never_forecast_below_their_last_value()
    {
        var random = new Random(3);
        var last = 0.0;
        var points = Series(60, _ => last += random.Next(0, 2)); // flat-ish, noisy increments
        var value = Forecaster.Predict(points, 300, MetricKind.Counter);
        value.ShouldNotBeNull();
        value.Value.ShouldBeGreaterThanOrEqualTo(points[^1].Y);
    }

    [Fact]
    public void Gaps_are_handled_by_real_times()
    {
        // the same line sampled with a gap in the middle (minutes 20-39 missing)
        var points = Series(60, i => 5 + 1.0 * i).Where((_, i) => i is < 20 or >= 40).ToArray();
        var value = Forecaster.Predict(points, 600, MetricKind.Gauge);
        value.ShouldNotBeNull();
        value.Value.ShouldBe(5 + 59 + 10, 1e-6);
    }
}
