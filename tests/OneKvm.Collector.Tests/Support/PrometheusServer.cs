using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace OneKvm.Collector.Tests.Support;

/// <summary>
/// Debian's <c>prometheus</c> started for one test: generated configuration scraping one target every
/// second, storage in a temporary directory, web on a free loopback port; killed on dispose.
/// </summary>
internal sealed class PrometheusServer : IDisposable
{
    private readonly Process _process;
    private readonly string _dir;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private PrometheusServer(Process process, string dir, int port)
    {
        _process = process;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    public static PrometheusServer Start(string job, string target) => StartWithConfig(_ => $"""
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
        scrape_configs:
          - job_name: {job}
            static_configs:
              - targets: ['{target}']
        """);

    /// <summary>Starts Prometheus on the configuration <paramref name="config"/> writes, given the server's own directory (for rule and target files).</summary>
    public static PrometheusServer StartWithConfig(Func<string, string> config) => StartWithConfig(config, out _);

    public static PrometheusServer StartWithConfig(Func<string, string> configOf, out string directory)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("onekvm-prometheus-").FullName;
        directory = dir;
        var config = Path.Join(dir, "prometheus.yml");
        File.WriteAllText(config, configOf(dir));
        var port = ServeProcess.FreeTcpPort();
        var info = new ProcessStartInfo("prometheus") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
                 {
                     $"--config.file={config}", $"--storage.tsdb.path={Path.Join(dir, "data")}",
                     $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
                 })
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new PrometheusServer(process, dir, port);
    }

    public string Directory => _dir;

    /// <summary>GET of an API path (e.g. <c>/api/v1/targets</c>), parsed; throws on a non-2xx answer.</summary>
    public async Task<JsonDocument> ApiAsync(string pathAndQuery) =>
        JsonDocument.Parse(await _http.GetStringAsync($"http://127.0.0.1:{Port}{pathAndQuery}"));

    /// <summary>Instant query that never throws on a PromQL error: the status, Prometheus' error text and the result.</summary>
    public async Task<(bool Success, string Error, int Series)> TryQueryAsync(string promql)
    {
        using var response = await _http.GetAsync($"http://127.0.0.1:{Port}/api/v1/query?query={Uri.EscapeDataString(promql)}");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        if (root.GetProperty("status").GetString() != "success")
            return (false, root.TryGetProperty("error", out var e) ? e.GetString() ?? "" : "", 0);
        var data = root.GetProperty("data");
        var result = data.GetProperty("result");
        return (true, "", data.GetProperty("resultType").GetString() is "scalar" or "string" ? 1 : result.GetArrayLength());
    }

    /// <summary>Instant query; returns each series' labels and value.</summary>
    public async Task<IReadOnlyList<(Dictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        var url = $"http://127.0.0.1:{Port}/api/v1/query?query={Uri.EscapeDataString(promql)}";
        using var document = JsonDocument.Parse(await _http.GetStringAsync(url));
        document.RootElement.GetProperty("status").GetString().ShouldBe("success");
        return document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray()
            .Select(r => (
                r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
                double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))
            .ToList();
    }

    /// <summary>Queries until the result is non-empty and satisfies <paramref name="ready"/>.</summary>
    public async Task<IReadOnlyList<(Dictionary<string, string> Labels, double Value)>> WaitForAsync(
        string promql, Func<IReadOnlyList<(Dictionary<string, string> Labels, double Value)>, bool> ready, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyList<(Dictionary<string, string>, double)> last = [];
        while (clock.Elapsed < timeout)
        {
            try
            {
                last = await QueryAsync(promql);
                if (last.Count > 0 && ready(last)) return last;
            }
            catch (HttpRequestException)
            {
            }
            _process.HasExited.ShouldBeFalse("prometheus exited");
            await Task.Delay(500);
        }
        throw new TimeoutException($"'{promql}' never satisfied the condition; last: {string.Join("; ", last.Select(r => r.Item2))}");
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
        _process.Dispose();
        _http.Dispose();
        System.IO.Directory.Delete(_dir, recursive: true);
    }
}
