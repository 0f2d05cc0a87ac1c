using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Net.Http.Headers;

namespace OneKvm.Collector.Exporter;

/// <summary>What <see cref="MetricsHttpServer"/> serves besides the exposition.</summary>
/// <param name="Addresses">Every address to listen on (<c>--web.listen-address</c>, repeatable).</param>
/// <param name="Web">TLS and basic auth (<c>--web.config.file</c>); <see cref="WebConfig.None"/> for plain HTTP.</param>
/// <param name="ExpectedSources">Sources that must have reported once, in the exposition served, before <c>/-/ready</c> answers 200.</param>
/// <param name="Build">Shown on the landing page.</param>
public sealed record HttpServerOptions(IReadOnlyList<ListenAddress> Addresses, WebConfig Web, IReadOnlyCollection<string> ExpectedSources, BuildVersion Build);

/// <summary>
/// The exporter's HTTP side on a bare Kestrel (no routing, no logging providers), following the
/// conventions of Prometheus' exporters: <c>/metrics</c> from <see cref="ExpositionCache"/> (gzip
/// when the client accepts it, compressed once per snapshot), <c>/-/healthy</c>, <c>/-/ready</c>,
/// a status page at <c>/</c>, 405 for methods other than GET and HEAD, and exporter-toolkit's TLS
/// and basic auth from <see cref="WebConfig"/> on every path.
/// </summary>
public sealed class MetricsHttpServer(HttpServerOptions options, ExpositionCache cache) : IAsyncDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private const string Realm = "Basic realm=\"onekvm-probe\"";

    private readonly BasicAuthenticator? auth = options.Web.BasicAuthUsers.Count == 0 ? null : new BasicAuthenticator(options.Web.BasicAuthUsers);

    private readonly string hostName = Dns.GetHostName();

    private WebApplication? app;

    /// <summary>Starts listening on every address; throws <see cref="IOException"/> when one is taken or not local.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var tls = options.Web.Tls;
        var certificate = tls?.LoadCertificate();
        var clientCas = tls?.LoadClientCas();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (var address in options.Addresses)
            {
                Action<ListenOptions> configure = listen =>
                {
                    if (tls is not null) listen.UseHttps(Https(tls, certificate!, clientCas!));
                };
                if (address.Ip is null) kestrel.ListenLocalhost(address.Port, configure);
                else if (address.Ip.Equals(IPAddress.IPv6Any)) kestrel.ListenAnyIP(address.Port, configure); // dual-stack
                else kestrel.Listen(address.Ip, address.Port, configure);
            }
        });
        app = builder.Build();
        app.Run(AnswerAsync);
        await app.StartAsync(cancellationToken);
    }

    private static HttpsConnectionAdapterOptions Https(WebTlsConfig tls, X509Certificate2 certificate, X509Certificate2Collection clientCas)
    {
        var https = new HttpsConnectionAdapterOptions
        {
            ServerCertificate = certificate,
            ClientCertificateMode = tls.ClientAuth switch
            {
                ClientAuthType.NoClientCert => ClientCertificateMode.NoCertificate,
                ClientAuthType.RequestClientCert or ClientAuthType.VerifyClientCertIfGiven => ClientCertificateMode.AllowCertificate,
                _ => ClientCertificateMode.RequireCertificate,
            },
        };
        var verify = tls.ClientAuth is ClientAuthType.VerifyClientCertIfGiven or ClientAuthType.RequireAndVerifyClientCert;
        https.ClientCertificateValidation = (client, _, _) => !verify || ChainsTo(client, clientCas);
        return https;
    }

    /// <summary>True when <paramref name="client"/> chains to one of the configured client CAs (no system roots).</summary>
    private static bool ChainsTo(X509Certificate2 client, X509Certificate2Collection cas)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(cas);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2")); // client authentication
        return chain.Build(client);
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.Headers.Allow = "GET, HEAD";
            await WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "text/plain; charset=utf-8", Text($"method {request.Method} not allowed: use GET or HEAD\n"));
            return;
        }
        if (auth is not null && !auth.Accepts(request.Headers.Authorization.ToString()))
        {
            response.Headers.WWWAuthenticate = Realm;
            await WriteAsync(context, StatusCodes.Status401Unauthorized, "text/plain; charset=utf-8", Text("Unauthorized\n"));
            return;
        }
        switch (request.Path.Value)
        {
            case "/metrics":
                var exposition = await cache.GetExpositionAsync(context.RequestAborted);
                response.Headers.Vary = HeaderNames.AcceptEncoding;
                var gzip = AcceptsGzip(request.Headers.AcceptEncoding.ToString());
                if (gzip) response.Headers.ContentEncoding = "gzip";
                await WriteAsync(context, StatusCodes.Status200OK, ContentType, gzip ? exposition.Gzip : exposition.Plain);
                break;
            case "/-/healthy":
                await WriteAsync(context, StatusCodes.Status200OK, "text/plain; charset=utf-8", Text("Healthy.\n"));
                break;
            case "/-/ready":
                var missing = options.ExpectedSources.Where(s => !cache.Served.Latest.ContainsKey(s)).ToList();
                await (missing.Count == 0
                    ? WriteAsync(context, StatusCodes.Status200OK, "text/plain; charset=utf-8", Text("Ready.\n"))
                    : WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "text/plain; charset=utf-8",
                        Text($"Not ready: waiting for the first run of {string.Join(", ", missing)}\n")));
                break;
            case "/" or "":
                await WriteAsync(context, StatusCodes.Status200OK, "text/html; charset=utf-8",
                    Text(LandingPage.Render(cache.Served, options.Build, hostName)));
                break;
            default:
                await WriteAsync(context, StatusCodes.Status404NotFound, "text/plain; charset=utf-8", Text("not found: try /metrics\n"));
                break;
        }
    }

    private static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    private static async Task WriteAsync(HttpContext context, int status, string contentType, byte[] body)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method)) await response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>True when <c>Accept-Encoding</c> lists <c>gzip</c> (or <c>*</c>) with a non-zero quality.</summary>
    public static bool AcceptsGzip(string acceptEncoding)
    {
        foreach (var part in acceptEncoding.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = part.Split(';', StringSplitOptions.TrimEntries);
            if (!fields[0].Equals("gzip", StringComparison.OrdinalIgnoreCase) && fields[0] != "*") continue;
            var q = fields.Skip(1).FirstOrDefault(f => f.StartsWith("q=", StringComparison.OrdinalIgnoreCase));
            if (q is null) return true;
            return double.TryParse(q.AsSpan(2), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var quality) && quality > 0;
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null) await app.DisposeAsync();
    }

    /// <summary>
    /// Checks <c>Authorization: Basic</c> against bcrypt hashes. bcrypt is deliberately slow, so a
    /// verified (user, password) pair is remembered by its SHA-256 (never the password itself);
    /// wrong passwords are always checked afresh.
    /// </summary>
    private sealed class BasicAuthenticator(IReadOnlyDictionary<string, string> users)
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> verified = new(StringComparer.Ordinal);

        public bool Accepts(string authorization)
        {
            if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
            }
            catch (FormatException)
            {
                return false;
            }
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0) return false;
            var user = decoded[..colon];
            if (!users.TryGetValue(user, out var hash)) return false;
            var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(hash + "\0" + decoded)));
            if (verified.ContainsKey(key)) return true;
            bool ok;
            try
            {
                ok = BCrypt.Net.BCrypt.Verify(decoded[(colon + 1)..], hash);
            }
            catch (BCrypt.Net.SaltParseException)
            {
                return false;
            }
            if (ok && verified.Count < 64) verified[key] = true;
            return ok;
        }
    }
}
