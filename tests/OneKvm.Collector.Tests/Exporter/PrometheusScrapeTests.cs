using OneKvm.Collector.Tests.Support;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Exporter;

/// <summary>A real Prometheus scraping <c>serve</c> (with the real virsh and libvirtd) on loopback.</summary>
[Trait(TestTraits.Category, TestTraits.RealHost)]
public sealed class PrometheusScrapeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-scrape-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Prometheus_ScrapingServe_StoresHealthSeriesWithLabels()
    {
        using var serve = ServeProcess.Start(_dir, ["--Serve:IntervalSeconds=1"]);
        var body = await serve.WaitForAsync(b => b.Contains("onekvm_libvirt_up 1\n", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        using var prometheus = PrometheusServer.Start("onekvm", $"127.0.0.1:{serve.Port}");

        var up = await prometheus.WaitForAsync("up{job=\"onekvm\"}", r => r[0].Value == 1, TimeSpan.FromSeconds(60));
        var libvirt = await prometheus.WaitForAsync("onekvm_libvirt_up", r => r[0].Value == 1, TimeSpan.FromSeconds(30));
        var probes = await prometheus.WaitForAsync("onekvm_probe_success", r => r.Count == 2, TimeSpan.FromSeconds(30));
        var daemon = await prometheus.WaitForAsync("opennebula_libvirt_daemon_up", _ => true, TimeSpan.FromSeconds(30));
        var freshness = await prometheus.WaitForAsync("time() - onekvm_probe_last_success_timestamp_seconds{probe=\"beacon_host\"}", _ => true, TimeSpan.FromSeconds(30));

        up.Single().Labels["instance"].ShouldBe($"127.0.0.1:{serve.Port}");
        libvirt.Single().Labels["job"].ShouldBe("onekvm");
        probes.Select(p => p.Labels["probe"]).Order().ShouldBe(["beacon_host", "libvirt"]);
        probes.ShouldAllBe(p => p.Value == 1);
        daemon.Single().Value.ShouldBe(1);
        freshness.Single().Value.ShouldBeInRange(-2, 10);
        var (exitCode, output) = await Promtool.CheckMetricsAsync(body);
        exitCode.ShouldBe(0, output);
    }
}
