using System.Globalization;
using System.Net;

namespace OneKvm.Collector.Exporter;

/// <summary>
/// <c>--listen ADDRESS:PORT</c>: <c>0.0.0.0:9926</c>, <c>127.0.0.1:9926</c>, <c>[::1]:9926</c>,
/// <c>[::]:9926</c>, <c>:9926</c>. A wildcard address listens on every address.
/// </summary>
public sealed record ListenAddress(string Host, int Port, bool Wildcard)
{
    /// <summary>The <see cref="HttpListener"/> prefix (wildcards become <c>+</c>).</summary>
    public string Prefix => string.Create(CultureInfo.InvariantCulture, $"http://{(Wildcard ? "+" : Host)}:{Port}/");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");

    /// <summary>Parses the value; a bad one is a <see cref="FormatException"/> naming it.</summary>
    public static ListenAddress Parse(string value)
    {
        var colon = value.LastIndexOf(':');
        if (colon < 0) throw new FormatException($"--listen '{value}': expected ADDRESS:PORT, e.g. 0.0.0.0:9926");
        var host = value[..colon];
        var portText = value[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new FormatException($"--listen '{value}': port '{portText}' is not a number from 1 to 65535");
        if (host.Length == 0) return new ListenAddress("0.0.0.0", port, true);
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (!IPAddress.TryParse(bare, out var ip))
        {
            if (host.Contains(':', StringComparison.Ordinal) || bare.Length == 0)
                throw new FormatException($"--listen '{value}': '{host}' is not an address (IPv6 goes in brackets: [::1]:9926)");
            return new ListenAddress(host, port, false);
        }
        var wildcard = ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any);
        return new ListenAddress(ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{bare}]" : bare, port, wildcard);
    }
}
