using System.Net;
using System.Net.Sockets;

namespace OneKvm.Collector.Tests.Support;

/// <summary><c>onekvm-probe serve</c> as a real process on a free loopback port.</summary>
internal sealed class ServeProcess : IDisposable
{
    private readonly ProbeProcess _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private ServeProcess(ProbeProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/metrics";

    public string Stderr => _process.Stderr;

    public int ProcessId => _process.Process.Id;

    public static int FreeTcpPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <param name="extraArgs">e.g. <c>--Libvirt:Replay=FILE</c>, interval settings.</param>
    /// <param name="environment">extra environment variables.</param>
    public static ServeProcess Start(string kvmrcDirectory, IEnumerable<string> extraArgs, IDictionary<string, string?>? environment = null)
    {
        var kvmrc = Path.Join(kvmrcDirectory, "kvmrc");
        File.WriteAllText(kvmrc, "");
        var port = FreeTcpPort();
        var process = ProbeProcess.Start(
            ["serve", "--listen", $"127.0.0.1:{port}", "--kvmrc", kvmrc, .. extraArgs], environment: environment);
        return new ServeProcess(process, port);
    }

    public Task<string> ScrapeAsync() => _http.GetStringAsync(Url);

    /// <summary>Scrapes until <paramref name="ready"/> holds for the body (or fails after the timeout).</summary>
    public async Task<string> WaitForAsync(Func<string, bool> ready, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string last = "";
        while (clock.Elapsed < timeout)
        {
            try
            {
                last = await ScrapeAsync();
                if (ready(last)) return last;
            }
            catch (HttpRequestException)
            {
            }
            _process.Process.HasExited.ShouldBeFalse($"serve exited: {_process.Stderr}");
            await Task.Delay(200);
        }
        throw new TimeoutException($"/metrics never became ready; last body:\n{last}\nstderr:\n{_process.Stderr}");
    }

    public Task<int> TerminateAsync() => _process.TerminateAsync(TimeSpan.FromSeconds(15));

    public void Dispose()
    {
        _http.Dispose();
        _process.Dispose();
    }
}
