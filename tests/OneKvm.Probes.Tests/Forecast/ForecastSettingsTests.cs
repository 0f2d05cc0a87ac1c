using OneKvm.Probes.Forecast;
using OneKvm.Probes.OpenNebula;

namespace OneKvm.Probes.Tests.Forecast;

public class ForecastSettingsTests
{
    private const string Upstream = """
        # This section is related to the configuration for DB retention and forecast period
        host:
          db_retention: 4 # Number of weeks
          forecast_period: 5 # Number of minutes
          forecast_far_period: 720 # Number of hours

        virtualmachine:
          db_retention: 2 # Number of weeks
          forecast_period: 10 # Number of minutes
          forecast_far_period: 48 # Number of hours
        """;

    [Fact]
    public void Reads_upstreams_file()
    {
        var settings = ForecastSettings.From(ProbeConfFile.Parse(Upstream, "forecast.conf"));
        settings.Host.ShouldBe(new EntityForecastSettings(TimeSpan.FromDays(28), TimeSpan.FromMinutes(5), TimeSpan.FromHours(720)));
        settings.VirtualMachine.ShouldBe(new EntityForecastSettings(TimeSpan.FromDays(14), TimeSpan.FromMinutes(10), TimeSpan.FromHours(48)));
    }

    [Fact]
    public void A_missing_file_or_key_takes_upstreams_default()
    {
        ForecastSettings.From(null).ShouldBe(ForecastSettings.Default);
        ForecastSettings.From(ProbeConfFile.Parse("host:\n  forecast_period: 7\n", "f")).Host.Period.ShouldBe(TimeSpan.FromMinutes(7));
        ForecastSettings.From(ProbeConfFile.Parse("host:\n  forecast_period: 7\n", "f")).VirtualMachine.ShouldBe(ForecastSettings.Default.VirtualMachine);
    }

    [Theory]
    [InlineData("host:\n  db_retention: -1\n", "forecast.conf: host.db_retention: expected a positive whole number, found -1")]
    [InlineData("host:\n  forecast_period: soon\n", "forecast.conf:2: host.forecast_period: expected a whole number")]
    [InlineData("host: [1, 2\n", "forecast.conf:")]
    public void Bad_values_name_the_file_and_key(string text, string message)
    {
        var e = Should.Throw<FormatException>(() => ForecastSettings.From(ProbeConfFile.Parse(text, "forecast.conf")));
        e.Message.ShouldStartWith(message);
    }
}
