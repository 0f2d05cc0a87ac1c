using OneKvm.Probes.OpenNebula;

namespace OneKvm.Probes.Forecast;

/// <summary>
/// Upstream's <c>forecast.conf</c> (<c>etc/im/kvm-probes.d/forecast.conf</c> under the remotes):
/// per entity kind, how long history is kept (<c>db_retention</c>, weeks), how far the near forecast
/// looks (<c>forecast_period</c>, minutes) and the far one (<c>forecast_far_period</c>, hours).
/// </summary>
public sealed record ForecastSettings(EntityForecastSettings Host, EntityForecastSettings VirtualMachine)
{
    /// <summary>The values upstream ships.</summary>
    public static ForecastSettings Default { get; } = new(
        new EntityForecastSettings(TimeSpan.FromDays(28), TimeSpan.FromMinutes(5), TimeSpan.FromHours(720)),
        new EntityForecastSettings(TimeSpan.FromDays(14), TimeSpan.FromMinutes(5), TimeSpan.FromHours(48)));

    /// <summary>The settings of a loaded file; upstream's default for an absent file or key.</summary>
    /// <exception cref="FormatException">a value that is not a positive whole number (names file and line).</exception>
    public static ForecastSettings From(ProbeConfFile? conf) => conf is null
        ? Default
        : new(Section(conf, "host", Default.Host), Section(conf, "virtualmachine", Default.VirtualMachine));

    private static EntityForecastSettings Section(ProbeConfFile conf, string section, EntityForecastSettings defaults) => new(
        Positive(conf, section, "db_retention", TimeSpan.FromDays(7)) ?? defaults.Retention,
        Positive(conf, section, "forecast_period", TimeSpan.FromMinutes(1)) ?? defaults.Period,
        Positive(conf, section, "forecast_far_period", TimeSpan.FromHours(1)) ?? defaults.FarPeriod);

    private static TimeSpan? Positive(ProbeConfFile conf, string section, string key, TimeSpan unit)
    {
        if (conf.WholeNumber(section, key) is not { } value) return null;
        return value is > 0 and <= 100_000
            ? unit * value
            : throw new FormatException($"{conf.Path}: {section}.{key}: expected a positive whole number, found {value}");
    }
}

/// <param name="Retention">History kept (and used) at most.</param>
/// <param name="Period">How far ahead the near forecast (<c>*_FORECAST</c>) looks.</param>
/// <param name="FarPeriod">How far ahead the far forecast (<c>*_FORECAST_FAR</c>) looks.</param>
public sealed record EntityForecastSettings(TimeSpan Retention, TimeSpan Period, TimeSpan FarPeriod);
