using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace OneKvm.Collector.Exporter;

/// <summary>
/// <c>/metrics</c> (and a link page at <c>/</c>) on a bare Kestrel — no routing, no logging
/// providers — serving bodies from <see cref="ExpositionCache"/>.
/// </summary>
public sealed class MetricsHttpServer(ListenAddress address, ExpositionCache cache) : IAsyncDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly byte[] Index = Encoding.UTF8.GetBytes(
        "<html><head><title>onekvm-probe</title></head><body><h1>onekvm-probe</h1><p><a href=\"/metrics\">Metrics</a></p></body></html>\n");

    private WebApplication? app;

    /// <summary>Starts listening; throws <see cref="IOException"/> when the address is taken or not local.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            if (address.Ip is null) kestrel.ListenLocalhost(address.Port);
            else if (address.Ip.Equals(IPAddress.IPv6Any)) kestrel.ListenAnyIP(address.Port); // dual-stack
            else kestrel.Listen(address.Ip, address.Port);
        });
        app = builder.Build();
        app.Run(AnswerAsync);
        await app.StartAsync(cancellationToken);
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var response = context.Response;
        byte[] body;
        switch (context.Request.Path.Value)
        {
            case "/metrics":
                body = await cache.GetAsync(context.RequestAborted);
                response.ContentType = ContentType;
                break;
            case "/" or "":
                body = Index;
                response.ContentType = "text/html; charset=utf-8";
                break;
            default:
                response.StatusCode = StatusCodes.Status404NotFound;
                body = Encoding.UTF8.GetBytes("not found: try /metrics\n");
                response.ContentType = "text/plain; charset=utf-8";
                break;
        }
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method)) await response.Body.WriteAsync(body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null) await app.DisposeAsync();
    }
}
