using OneKvm.Probes.Forecast;

namespace OneKvm.Probes.Tests.Forecast;

public class EntityForecastTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    private static (MetricHistory History, DateTimeOffset Now) HostHistory(TimeSpan span, TimeSpan step, Func<double, double> netrxAt)
    {
        var history = new MetricHistory();
        var now = Start;
        for (var t = TimeSpan.Zero; t <= span; t += step)
        {
            now = Start + t;
            var minutes = t.TotalMinutes;
            history.Add("usedcpu", now, 50);
            history.Add("freecpu", now, 150);
            history.Add("usedmemory", now, 1_000_000 + 100 * minutes);
            history.Add("freememory", now, 2_000_000);
            history.Add("netrx", now, netrxAt(t.TotalSeconds));
            history.Add("nettx", now, 1000 * t.TotalSeconds);
        }
        return (history, now);
    }

    [Fact]
    public void Keys_come_in_upstreams_order_once_there_is_history()
    {
        var (history, now) = HostHistory(TimeSpan.FromHours(50), TimeSpan.FromMinutes(2), s => 500 * s);
        var keys = EntityForecast.Compute(history, ForecastMetric.Host, ForecastSettings.Default.Host, now).Select(k => k.Key).ToArray();
        keys.ShouldBe(
        [
            "USEDCPU_FORECAST", "USEDCPU_FORECAST_FAR", "FREECPU_FORECAST", "FREECPU_FORECAST_FAR",
            "USEDMEMORY_FORECAST", "USEDMEMORY_FORECAST_FAR", "FREEMEMORY_FORECAST", "FREEMEMORY_FORECAST_FAR",
            "NETRX_FORECAST", "NETRX_FORECAST_FAR", "NETTX_FORECAST", "NETTX_FORECAST_FAR",
            "NETRX_BW", "NETRX_BW_FORECAST", "NETRX_BW_FORECAST_FAR", "NETTX_BW", "NETTX_BW_FORECAST", "NETTX_BW_FORECAST_FAR",
        ]);
    }

    [Fact]
    public void No_keys_without_enough_history()
    {
        var (history, now) = HostHistory(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1), s => s);
        EntityForecast.Compute(history, ForecastMetric.Host, ForecastSettings.Default.Host, now).ShouldBeEmpty();
    }

    [Fact]
    public void Near_keys_come_before_far_history_exists()
    {
        var (history, now) = HostHistory(TimeSpan.FromMinutes(90), TimeSpan.FromMinutes(1), s => 10 * s);
        var keys = EntityForecast.Compute(history, ForecastMetric.Host, ForecastSettings.Default.Host, now).Select(k => k.Key).ToList();
        keys.ShouldContain("USEDCPU_FORECAST");
        keys.ShouldNotContain("USEDCPU_FORECAST_FAR");
    }

    [Fact]
    public void Rates_and_forecasts_have_known_values()
    {
        // netrx grows 500 B/s; usedmemory 100 KiB per minute: in 5 minutes +500.
        var (history, now) = HostHistory(TimeSpan.FromHours(3), TimeSpan.FromMinutes(1), s => 500 * s);
        var values = EntityForecast.Compute(history, ForecastMetric.Host, ForecastSettings.Default.Host, now).ToDictionary(k => k.Key, k => k.Value);
        values["NETRX_BW"].ShouldBe("500.0");
        values["NETRX_BW_FORECAST"].ShouldBe("500.0");
        values["USEDCPU_FORECAST"].ShouldBe("50.0");
        // Gauges are averaged per minute and placed at the bucket's middle: one sample at the start of
        // each minute thus reads half a minute (50 KiB) late.
        values["USEDMEMORY_FORECAST"].ShouldBe(PythonFloat.FormatRounded(1_000_000 + 100 * (180 + 5) - 50));
        values["NETRX_FORECAST"].ShouldBe(PythonFloat.FormatRounded(500.0 * (3 * 3600 + 300)));
    }

    [Fact]
    public void A_counter_reset_is_not_a_drop_in_the_rate()
    {
        // netrx counts 100 B/s, restarts from zero at 60 minutes (VM restarted), then 100 B/s again.
        var (history, now) = HostHistory(TimeSpan.FromMinutes(120), TimeSpan.FromMinutes(1), s => 100 * (s < 3600 ? s : s - 3600));
        var values = EntityForecast.Compute(history, ForecastMetric.Host, ForecastSettings.Default.Host, now).ToDictionary(k => k.Key, k => k.Value);
        double.Parse(values["NETRX_BW_FORECAST"], System.Globalization.CultureInfo.InvariantCulture).ShouldBe(100, 1);
        double.Parse(values["NETRX_FORECAST"], System.Globalization.CultureInfo.InvariantCulture).ShouldBe(100.0 * (3600 + 300), 1);
    }
}

public class VmForecastKeyTests
{
    [Fact]
    public void Vm_keys_come_in_upstreams_order()
    {
        var history = new MetricHistory();
        var start = new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);
        var now = start;
        for (var m = 0; m <= 30; m++)
        {
            now = start.AddMinutes(m);
            foreach (var source in new[] { "cpu", "memory", "netrx", "nettx", "diskrdbytes", "diskwrbytes", "diskrdiops", "diskwriops" })
                history.Add(source, now, 1000 + 10 * m);
        }
        EntityForecast.Compute(history, ForecastMetric.VirtualMachine, ForecastSettings.Default.VirtualMachine, now).Select(k => k.Key).ShouldBe(
        [
            "CPU_FORECAST", "MEMORY_FORECAST", "NETRX_FORECAST", "NETTX_FORECAST",
            "NETRX_BW", "NETRX_BW_FORECAST", "NETTX_BW", "NETTX_BW_FORECAST",
            "DISKRDBYTES_FORECAST", "DISKWRBYTES_FORECAST", "DISKRD_BW", "DISKRD_BW_FORECAST", "DISKWR_BW", "DISKWR_BW_FORECAST",
            "DISKRDIOPS_FORECAST", "DISKWRIOPS_FORECAST", "DISKRDIOPS_BW", "DISKRDIOPS_BW_FORECAST", "DISKWRIOPS_BW", "DISKWRIOPS_BW_FORECAST",
        ]);
    }
}
