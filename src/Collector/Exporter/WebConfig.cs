using System.Security.Cryptography.X509Certificates;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OneKvm.Collector.Exporter;

/// <summary>exporter-toolkit's <c>client_auth_type</c> values (Go's <c>tls.ClientAuthType</c> names).</summary>
public enum ClientAuthType
{
    NoClientCert,
    RequestClientCert,
    RequireAnyClientCert,
    VerifyClientCertIfGiven,
    RequireAndVerifyClientCert,
}

/// <summary>The <c>tls_server_config</c> block: server certificate and key (PEM), client CA and policy.</summary>
public sealed record WebTlsConfig(string CertFile, string KeyFile, string? ClientCaFile, ClientAuthType ClientAuth)
{
    /// <summary>Loads the PEM certificate and key; a bad file is an <see cref="InvalidDataException"/> naming it.</summary>
    public X509Certificate2 LoadCertificate()
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(CertFile, KeyFile);
            // Kestrel on Linux needs an exportable key; a PEM-loaded ephemeral key is re-imported as PKCS#12.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"tls_server_config: cannot load cert_file '{CertFile}' with key_file '{KeyFile}': {e.Message}", e);
        }
    }

    /// <summary>The client CA certificates (PEM, one or more), empty without <see cref="ClientCaFile"/>.</summary>
    public X509Certificate2Collection LoadClientCas()
    {
        var cas = new X509Certificate2Collection();
        if (ClientCaFile is null) return cas;
        try
        {
            cas.ImportFromPemFile(ClientCaFile);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"tls_server_config: cannot load client_ca_file '{ClientCaFile}': {e.Message}", e);
        }
        if (cas.Count == 0) throw new InvalidDataException($"tls_server_config: client_ca_file '{ClientCaFile}' holds no PEM certificate");
        return cas;
    }
}

/// <summary>
/// <c>--web.config.file</c> in exporter-toolkit's YAML format: <c>tls_server_config</c>
/// (<c>cert_file</c>, <c>key_file</c>, <c>client_ca_file</c>, <c>client_auth_type</c>) and
/// <c>basic_auth_users</c> (user → bcrypt hash). Keys this exporter does not implement are refused
/// by name rather than silently ignored, so a config meant to restrict access never half-applies.
/// </summary>
public sealed record WebConfig(WebTlsConfig? Tls, IReadOnlyDictionary<string, string> BasicAuthUsers)
{
    public static WebConfig None { get; } = new(null, new Dictionary<string, string>(StringComparer.Ordinal));

    private static readonly HashSet<string> TopKeys = ["tls_server_config", "basic_auth_users", "http_server_config"];

    private static readonly HashSet<string> TlsKeys = ["cert_file", "key_file", "client_ca_file", "client_auth_type"];

    /// <summary>Reads and checks the file; errors are <see cref="InvalidDataException"/>s naming file, line and field.</summary>
    public static WebConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: cannot read the web configuration file: {e.Message}", e);
        }
        return Parse(text, path);
    }

    public static WebConfig Parse(string text, string path)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{path}:{e.Start.Line}: not valid YAML: {e.InnerException?.Message ?? e.Message}", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" }) return None;
        var root = Mapping(stream.Documents[0].RootNode, path, "the document");
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";

        WebTlsConfig? tls = null;
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in root.Children)
        {
            var key = Scalar(keyNode, path, "key");
            if (!TopKeys.Contains(key)) throw Error(path, keyNode, $"unknown field '{key}' (supported: {string.Join(", ", TopKeys)})");
            switch (key)
            {
                case "tls_server_config":
                    tls = ParseTls(value, path, baseDir);
                    break;
                case "basic_auth_users":
                    if (value is YamlScalarNode { Value: null or "" }) break;
                    foreach (var (userNode, hashNode) in Mapping(value, path, "basic_auth_users").Children)
                    {
                        var user = Scalar(userNode, path, "basic_auth_users user");
                        var hash = Scalar(hashNode, path, $"basic_auth_users.{user}");
                        if (!IsBcrypt(hash)) throw Error(path, hashNode, $"basic_auth_users.{user}: not a bcrypt hash ($2a$/$2b$/$2y$, e.g. from htpasswd -nBC 10)");
                        users[user] = hash;
                    }
                    break;
                case "http_server_config":
                    // http2 / headers: accepted (HTTP/2 follows from TLS), other settings are not implemented.
                    if (value is YamlMappingNode http)
                    {
                        foreach (var (k, _) in http.Children)
                        {
                            var name = Scalar(k, path, "http_server_config key");
                            if (name != "http2") throw Error(path, k, $"http_server_config.{name} is not supported by onekvm-probe");
                        }
                    }
                    break;
            }
        }
        return new WebConfig(tls, users);
    }

    private static WebTlsConfig? ParseTls(YamlNode node, string path, string baseDir)
    {
        if (node is YamlScalarNode { Value: null or "" }) return null;
        var map = Mapping(node, path, "tls_server_config");
        var values = new Dictionary<string, (string Value, YamlNode Node)>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            var name = Scalar(k, path, "tls_server_config key");
            if (!TlsKeys.Contains(name))
                throw Error(path, k, $"tls_server_config.{name} is not supported by onekvm-probe (supported: {string.Join(", ", TlsKeys)})");
            values[name] = (Scalar(v, path, $"tls_server_config.{name}"), v);
        }
        string File(string name) => values.TryGetValue(name, out var f) && f.Value.Length > 0
            ? Path.GetFullPath(f.Value, baseDir)
            : throw Error(path, map, $"tls_server_config.{name} is required");
        var auth = ClientAuthType.NoClientCert;
        if (values.TryGetValue("client_auth_type", out var a) && !Enum.TryParse(a.Value, ignoreCase: false, out auth))
            throw Error(path, a.Node, $"tls_server_config.client_auth_type '{a.Value}': expected one of {string.Join(", ", Enum.GetNames<ClientAuthType>())}");
        string? ca = values.TryGetValue("client_ca_file", out var c) && c.Value.Length > 0 ? Path.GetFullPath(c.Value, baseDir) : null;
        if (ca is null && auth is ClientAuthType.VerifyClientCertIfGiven or ClientAuthType.RequireAndVerifyClientCert)
            throw Error(path, map, $"tls_server_config.client_auth_type {auth} needs client_ca_file");
        return new WebTlsConfig(File("cert_file"), File("key_file"), ca, auth);
    }

    private static bool IsBcrypt(string hash) =>
        hash.Length == 60 && (hash.StartsWith("$2a$", StringComparison.Ordinal) || hash.StartsWith("$2b$", StringComparison.Ordinal)
            || hash.StartsWith("$2y$", StringComparison.Ordinal));

    private static YamlMappingNode Mapping(YamlNode node, string path, string what) =>
        node as YamlMappingNode ?? throw Error(path, node, $"{what}: expected a mapping (key: value lines)");

    private static string Scalar(YamlNode node, string path, string what) =>
        node is YamlScalarNode s ? s.Value ?? "" : throw Error(path, node, $"{what}: expected a single value");

    private static InvalidDataException Error(string path, YamlNode node, string message) =>
        new($"{path}:{node.Start.Line}: {message}");
}
