using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace OneKvm.Collector.Agent;

/// <summary>
/// The parts of monitord's <c>MONITOR_CONFIGURATION</c> (agent stdin) the agent uses. Parse with
/// <see cref="Parse"/>; resolve the address with <see cref="ResolveAddress"/>.
/// </summary>
public sealed partial record MonitorConfiguration
{
    public const int DefaultPort = 4124;

    public const string DefaultDatastoreLocation = "/var/lib/one/datastores";

    public required int HostId { get; init; }

    /// <summary><c>NETWORK/MONITOR_ADDRESS</c> as written: a host name, an IP address or <c>auto</c>.</summary>
    public string MonitorAddress { get; init; } = "auto";

    public int Port { get; init; } = DefaultPort;

    /// <summary><c>NETWORK/PUBKEY</c> as received (PEM, possibly flattened), or null when empty.</summary>
    public string? PublicKeyPem { get; init; }

    public ProbePeriods Periods { get; init; } = ProbePeriods.Fallback;

    public string DatastoreLocation { get; init; } = DefaultDatastoreLocation;

    /// <summary>
    /// Parses the XML, e.g. <c>&lt;MONITOR_CONFIGURATION&gt;&lt;NETWORK&gt;&lt;PORT&gt;4124&lt;/PORT&gt;…&lt;HOST_ID&gt;7&lt;/HOST_ID&gt;&lt;/MONITOR_CONFIGURATION&gt;</c>.
    /// Element order does not matter. A bad value is an <see cref="InvalidDataException"/> naming the element.
    /// </summary>
    public static MonitorConfiguration Parse(string xml)
    {
        XElement root;
        try
        {
            root = XDocument.Parse(xml).Root ?? throw new InvalidDataException("MONITOR_CONFIGURATION: empty document");
        }
        catch (XmlException e)
        {
            throw new InvalidDataException($"MONITOR_CONFIGURATION: not well-formed XML: {e.Message}", e);
        }
        if (root.Name.LocalName != "MONITOR_CONFIGURATION")
            throw new InvalidDataException($"MONITOR_CONFIGURATION: root element is <{root.Name.LocalName}>");

        var hostId = Text(root, "HOST_ID") is { } id
            ? Integer("HOST_ID", id, min: 0)
            : throw new InvalidDataException("MONITOR_CONFIGURATION: HOST_ID is missing");
        var network = root.Element("NETWORK");
        var port = Text(network, "PORT") is { } p ? Integer("NETWORK/PORT", p, min: 1, max: 65535) : DefaultPort;
        var datastores = Text(root, "DATASTORE_LOCATION");

        return new MonitorConfiguration
        {
            HostId = hostId,
            MonitorAddress = Text(network, "MONITOR_ADDRESS") ?? "auto",
            Port = port,
            PublicKeyPem = Text(network, "PUBKEY"),
            Periods = ProbePeriods.From(root.Element("PROBES_PERIOD")),
            DatastoreLocation = string.IsNullOrEmpty(datastores) ? DefaultDatastoreLocation : datastores,
        };
    }

    /// <summary>
    /// The address to send to: <see cref="MonitorAddress"/>, or for <c>auto</c> the first field of
    /// <c>$SSH_CLIENT</c> (<c>"192.0.2.10 51234 22"</c>). Fails with upstream's message when unknown.
    /// </summary>
    public string ResolveAddress(string? sshClient)
    {
        if (!MonitorAddress.Equals("auto", StringComparison.OrdinalIgnoreCase)) return MonitorAddress;
        var first = sshClient?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return first ?? throw new InvalidDataException("NETWORK/MONITOR_ADDRESS is \"auto\", but SSH_CLIENT unknown");
    }

    /// <summary>The RSA public key, or null when <c>PUBKEY</c> is empty. Fails with upstream's message on a non-PEM value.</summary>
    public RSA? LoadPublicKey()
    {
        if (PublicKeyPem is null) return null;
        var match = PemShape().Match(PublicKeyPem);
        if (!match.Success) throw new InvalidDataException("Public key not in PEM format");
        // The value may arrive flattened (newlines turned into spaces): drop all whitespace in the body.
        var body = Regex.Replace(match.Groups[1].Value, @"\s+", "");
        var rsa = RSA.Create();
        try
        {
            rsa.ImportRSAPublicKey(Convert.FromBase64String(body), out _);
            return rsa;
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            rsa.Dispose();
            throw new InvalidDataException("Public key not in PEM format", e);
        }
    }

    internal static string? Text(XElement? parent, string name)
    {
        var value = parent?.Element(name)?.Value.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    internal static int Integer(string field, string text, int min, int max = int.MaxValue) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new InvalidDataException($"MONITOR_CONFIGURATION: {field} is '{text}', expected an integer from {min} to {max}");

    [GeneratedRegex(@"^\s*-----BEGIN RSA PUBLIC KEY-----(.*?)-----END RSA PUBLIC KEY-----\s*$", RegexOptions.Singleline)]
    private static partial Regex PemShape();
}
