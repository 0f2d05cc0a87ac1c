using System.Globalization;
using Microsoft.Extensions.Logging;
using OneKvm.Collector.Exporter;
using OneKvm.Collector.Pipeline;
using OneKvm.Probes;

namespace OneKvm.Collector.Configuration;

/// <summary>
/// Ranges, units, names and addresses of the bound options. The first problem is a
/// <see cref="ConfigurationException"/> naming the key, the value and where it was set.
/// </summary>
public static class OptionsValidator
{
    /// <summary>Everything <c>serve</c> can run (and so name in <c>Serve:Intervals</c> / <c>Serve:ExcludeCategories</c>).</summary>
    public static IReadOnlyList<string> SourceNames { get; } =
        [LibvirtLiveness.SourceName, .. CategoryCatalog.All.Select(c => c.Name), ExporterSources.VmStats, ExporterSources.Cgroups];

    private const double Day = 86400;

    public static void Validate(OneKvmOptions options, IReadOnlyDictionary<string, LocatedValue> merged)
    {
        var check = new Checker(merged);
        check.Seconds("Libvirt:TimeoutSeconds", options.Libvirt.TimeoutSeconds, 0, exclusiveMin: true, max: 3600);
        check.NotEmpty("Libvirt:Uri", options.Libvirt.Uri);

        check.Range("Probes:HostId", options.Probes.HostId, -1, int.MaxValue);
        check.NotEmpty("Probes:StateDirectory", options.Probes.StateDirectory);
        check.Range("Probes:SyncStatePeriodSeconds", options.Probes.SyncStatePeriodSeconds, 1, (int)Day);
        check.Seconds("Probes:FirstSampleWindowSeconds", options.Probes.FirstSampleWindowSeconds, 0, exclusiveMin: false, max: 60);
        check.Range("Probes:TimesMissing", options.Probes.TimesMissing, 1, 1000);
        check.Range("Probes:ObsoleteMinutes", options.Probes.ObsoleteMinutes, 1, 10 * 24 * 60 * 365);

        check.Seconds("Serve:IntervalSeconds", options.Serve.IntervalSeconds, 1, exclusiveMin: false, max: Day);
        foreach (var (name, seconds) in options.Serve.Intervals)
        {
            check.Name($"Serve:Intervals:{name}", name, SourceNames);
            check.Seconds($"Serve:Intervals:{name}", seconds, 1, exclusiveMin: false, max: Day);
        }
        for (var i = 0; i < options.Serve.ExcludeCategories.Length; i++)
            check.Name($"Serve:ExcludeCategories:{i}", options.Serve.ExcludeCategories[i], SourceNames);
        check.Listen("Serve:Listen", options.Serve.Listen);
        if (options.Serve.WebConfigFile is not null) check.NotEmpty("Serve:WebConfigFile", options.Serve.WebConfigFile);

        check.NotEmpty("Agent:DbDirectory", options.Agent.DbDirectory);
        if (options.Agent.TimeoutSeconds is { } agentTimeout)
            check.Seconds("Agent:TimeoutSeconds", agentTimeout, 0, exclusiveMin: true, max: Day);

        check.Seconds("Cgroups:WindowSeconds", options.Cgroups.WindowSeconds, 0, exclusiveMin: true, max: 3600);
        check.Cores("Cgroups:ToleranceCores", options.Cgroups.ToleranceCores);
        check.Fraction("Cgroups:ToleranceRatio", options.Cgroups.ToleranceRatio);
        check.Fraction("Cgroups:PressureThreshold", options.Cgroups.PressureThreshold);
        check.Fraction("Cgroups:CapRatio", options.Cgroups.CapRatio);
        check.Cores("Cgroups:IdleCores", options.Cgroups.IdleCores);

        check.NotEmpty("Paths:Proc", options.Paths.Proc);
        check.NotEmpty("Paths:Sys", options.Paths.Sys);
        check.NotEmpty("Paths:CgroupRoot", options.Paths.CgroupRoot);
        _ = LogLevelOf(options.Logging.Level, check.Origin("Logging:Level"));
    }

    /// <summary>
    /// For <c>serve</c>: binds each listen address once (and lets it go) so that an address this host
    /// lacks or a port it may not take is a configuration error now, not a crash later. A port in use
    /// is left to serve itself (it may be free by then). Also reads the web configuration file with
    /// its certificates, so that a bad one is reported before any probe runs.
    /// </summary>
    public static void ValidateBindable(OneKvmOptions options, IReadOnlyDictionary<string, LocatedValue> merged)
    {
        foreach (var listen in ListenAddresses(options.Serve.Listen)) ValidateBindable(listen, options.Serve.Listen, merged);
        if (options.Serve.WebConfigFile is { } file)
        {
            try
            {
                var web = WebConfig.Load(file);
                web.Tls?.LoadCertificate().Dispose();
                web.Tls?.LoadClientCas();
            }
            catch (InvalidDataException e)
            {
                throw new ConfigurationException($"{merged.GetValueOrDefault("Serve:WebConfigFile")?.Origin ?? "default"}: Serve:WebConfigFile: {e.Message}");
            }
        }
    }

    /// <summary><c>Serve:Listen</c>: one or more addresses separated by commas.</summary>
    public static IReadOnlyList<ListenAddress> ListenAddresses(string value)
    {
        var addresses = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(ListenAddress.Parse).ToList();
        return addresses.Count > 0 ? addresses : throw new FormatException("no listen address given");
    }

    private static void ValidateBindable(ListenAddress listen, string value, IReadOnlyDictionary<string, LocatedValue> merged)
    {
        var origin = merged.GetValueOrDefault("Serve:Listen")?.Origin ?? "default";
        var ip = listen.Ip ?? System.Net.IPAddress.Loopback;
        using var socket = new System.Net.Sockets.Socket(ip.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        try
        {
            socket.Bind(new System.Net.IPEndPoint(ip, listen.Port));
        }
        catch (System.Net.Sockets.SocketException e)
        {
            var problem = e.SocketErrorCode switch
            {
                System.Net.Sockets.SocketError.AddressNotAvailable => $"{ip} is not an address of this host",
                System.Net.Sockets.SocketError.AccessDenied =>
                    $"port {listen.Port.ToString(CultureInfo.InvariantCulture)} is below 1024 and needs root or CAP_NET_BIND_SERVICE",
                System.Net.Sockets.SocketError.AddressAlreadyInUse => null,
                _ => e.Message,
            };
            if (problem is not null) throw new ConfigurationException($"{origin}: Serve:Listen={value}: {problem}");
        }
    }

    /// <summary>The <c>Logging:Level</c> value as a <see cref="LogLevel"/>; <c>info</c> and <c>warn</c> are accepted too.</summary>
    public static LogLevel LogLevelOf(string text, string origin = "Logging:Level") => text.ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "information" or "info" => LogLevel.Information,
        "warning" or "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "critical" => LogLevel.Critical,
        "none" => LogLevel.None,
        _ => throw new ConfigurationException($"{origin}: Logging:Level '{text}' is not a level (trace, debug, information, warning, error, critical, none)"),
    };

    private sealed class Checker(IReadOnlyDictionary<string, LocatedValue> merged)
    {
        public string Origin(string key) => merged.GetValueOrDefault(key)?.Origin ?? "default";

        public void Seconds(string key, double value, double min, bool exclusiveMin, double max)
        {
            if (double.IsFinite(value) && (exclusiveMin ? value > min : value >= min) && value <= max) return;
            var low = exclusiveMin ? $"above {Format(min)}" : $"from {Format(min)}";
            throw Fail(key, Format(value), $"must be a number of seconds {low} to {Format(max)}");
        }

        public void Range(string key, int value, int min, int max)
        {
            if (value >= min && value <= max) return;
            throw Fail(key, value.ToString(CultureInfo.InvariantCulture), max == int.MaxValue
                ? $"must be at least {min.ToString(CultureInfo.InvariantCulture)}"
                : $"must be from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
        }

        public void Fraction(string key, double value)
        {
            if (double.IsFinite(value) && value is >= 0 and <= 1) return;
            throw Fail(key, Format(value), "must be a fraction from 0 to 1 (0.1 = 10 %)");
        }

        public void Cores(string key, double value)
        {
            if (double.IsFinite(value) && value >= 0) return;
            throw Fail(key, Format(value), "must be a number of cores from 0");
        }

        public void NotEmpty(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) return;
            throw Fail(key, value ?? "", "must not be empty");
        }

        public void Name(string key, string value, IReadOnlyList<string> known)
        {
            if (known.Contains(value, StringComparer.Ordinal)) return;
            throw Fail(key, value, $"is not a probe name{ConfigurationSchema.Suggest(value, known)} (known: {string.Join(", ", known)})");
        }

        /// <summary>One or more addresses separated by commas (a repeated <c>--web.listen-address</c>).</summary>
        public void Listen(string key, string value)
        {
            foreach (var one in value.Split(',', StringSplitOptions.TrimEntries))
            {
                // "::1:9926": the last colon cannot split an unbracketed IPv6 address from a port.
                var colon = one.LastIndexOf(':');
                if (colon > 0 && one[..colon].Contains(':', StringComparison.Ordinal) && !one.StartsWith('['))
                    throw Fail(key, value, $"an IPv6 address goes in brackets: [{one[..colon]}]:{one[(colon + 1)..]}");
            }
            try
            {
                _ = ListenAddresses(value);
            }
            catch (FormatException e)
            {
                throw new ConfigurationException($"{Origin(key)}: {key}: {e.Message}");
            }
        }

        /// <summary>The value is shown as it was written where there is one (<c>1e300</c>, not its expansion).</summary>
        private ConfigurationException Fail(string key, string value, string problem) =>
            new($"{Origin(key)}: {key}={merged.GetValueOrDefault(key)?.Value ?? value}: {problem}");

        private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
    }
}
