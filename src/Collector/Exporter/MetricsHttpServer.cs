using System.Globalization;
using System.Net;
using System.Text;

namespace OneKvm.Collector.Exporter;

/// <summary>
/// <c>/metrics</c> (and a link page at <c>/</c>) over <see cref="HttpListener"/>, serving bodies from
/// <see cref="ExpositionCache"/>. Each request is answered on its own task.
/// </summary>
public sealed class MetricsHttpServer(ListenAddress address, ExpositionCache cache, TextWriter log) : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly HttpListener listener = new();

    /// <summary>Starts listening; throws <see cref="HttpListenerException"/> when the address is taken or invalid.</summary>
    public void Start()
    {
        listener.Prefixes.Add(address.Prefix);
        listener.Start();
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = cancellationToken.Register(listener.Stop);
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException && cancellationToken.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(context, cancellationToken), cancellationToken);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        var response = context.Response;
        try
        {
            var path = context.Request.Url?.AbsolutePath ?? "/";
            byte[] body;
            if (path == "/metrics")
            {
                body = await cache.GetAsync(cancellationToken);
                response.ContentType = ContentType;
            }
            else if (path == "/")
            {
                body = Encoding.UTF8.GetBytes("<html><head><title>onekvm-probe</title></head><body><h1>onekvm-probe</h1><p><a href=\"/metrics\">Metrics</a></p></body></html>\n");
                response.ContentType = "text/html; charset=utf-8";
            }
            else
            {
                response.StatusCode = 404;
                body = Encoding.UTF8.GetBytes("not found: try /metrics\n");
                response.ContentType = "text/plain; charset=utf-8";
            }
            response.ContentLength64 = body.Length;
            if (context.Request.HttpMethod != "HEAD") await response.OutputStream.WriteAsync(body, cancellationToken);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"onekvm-probe serve: answering {context.Request.Url}: {e.Message}"));
        }
        finally
        {
            try { response.Close(); } catch (ObjectDisposedException) { }
        }
    }

    public void Dispose() => ((IDisposable)listener).Dispose();
}
