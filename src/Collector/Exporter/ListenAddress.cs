using System.Globalization;
using System.Net;

namespace OneKvm.Collector.Exporter;

/// <summary>
/// <c>--listen ADDRESS:PORT</c>: <c>0.0.0.0:9926</c> (every IPv4 address), <c>[::]:9926</c> (every
/// address, IPv4 and IPv6), <c>127.0.0.1:9926</c>, <c>[::1]:9926</c>, <c>localhost:9926</c>,
/// <c>:9926</c> (= <c>0.0.0.0</c>). <see cref="Ip"/> is null for <c>localhost</c>.
/// </summary>
public sealed record ListenAddress(IPAddress? Ip, int Port)
{
    public override string ToString() => Ip switch
    {
        null => string.Create(CultureInfo.InvariantCulture, $"localhost:{Port}"),
        { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } => string.Create(CultureInfo.InvariantCulture, $"[{Ip}]:{Port}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Ip}:{Port}"),
    };

    /// <summary>Parses the value; a bad one is a <see cref="FormatException"/> naming it.</summary>
    public static ListenAddress Parse(string value)
    {
        var colon = value.LastIndexOf(':');
        if (colon < 0) throw new FormatException($"--listen '{value}': expected ADDRESS:PORT, e.g. 0.0.0.0:9926");
        var host = value[..colon];
        var portText = value[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new FormatException($"--listen '{value}': port '{portText}' is not a number from 1 to 65535");
        if (host.Length == 0) return new ListenAddress(IPAddress.Any, port);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return new ListenAddress(null, port);
        var bracketed = host.StartsWith('[') && host.EndsWith(']');
        var parsed = IPAddress.TryParse(bracketed ? host[1..^1] : host, out var ip);
        if (parsed && bracketed == (ip!.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)) return new ListenAddress(ip, port);
        throw new FormatException($"--listen '{value}': '{host}' is not an IP address (IPv6 in brackets: [::1]:9926)");
    }
}
