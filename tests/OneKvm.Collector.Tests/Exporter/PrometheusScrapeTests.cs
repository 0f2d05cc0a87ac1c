using OneKvm.Collector.Tests.Support;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Exporter;

/// <summary>A real Prometheus scraping <c>serve</c> (with the real virsh and libvirtd) on loopback.</summary>
[Trait(TestTraits.Category, TestTraits.RealHost)]
[Collection(LibvirtGroup.Name)]
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
        // A probe's first tick may fail (MONITOR_HOST's first CPU window is as long as a 1 s tick): wait until all succeed.
        var probes = await prometheus.WaitForAsync("onekvm_probe_success", r => r.Count == 6 && r.All(p => p.Value == 1), TimeSpan.FromSeconds(60));
        var daemon = await prometheus.WaitForAsync("opennebula_libvirt_daemon_up", _ => true, TimeSpan.FromSeconds(30));
        var freshness = await prometheus.WaitForAsync("time() - onekvm_probe_last_success_timestamp_seconds{probe=\"beacon_host\"}", _ => true, TimeSpan.FromSeconds(30));

        up.Single().Labels["instance"].ShouldBe($"127.0.0.1:{serve.Port}");
        libvirt.Single().Labels["job"].ShouldBe("onekvm");
        probes.Select(p => p.Labels["probe"]).Order().ShouldBe(["beacon_host", "cgroups", "libvirt", "monitor_host", "system_host", "vm_stats"]);
        probes.ShouldAllBe(p => p.Value == 1);
        daemon.Single().Value.ShouldBe(1);
        freshness.Single().Value.ShouldBeInRange(-2, 10);
        var (exitCode, output) = await Promtool.CheckMetricsAsync(body);
        exitCode.ShouldBe(0, output);
    }

    [Fact]
    public async Task Prometheus_ScrapingServe_HasEveryVmWithVirshValues()
    {
        using var domain = TestDomain.Start(new TestDomainSpec { Name = "one-9701", Disks = true, TapNic = true, OneVmName = "scraped", Shares = 512 });
        using var wild = TestDomain.Start(new TestDomainSpec { Name = "onekvm-test-srv1" });
        var before = DomStats(domain.Name);
        using var serve = ServeProcess.Start(_dir, ["--Serve:IntervalSeconds=1"]);
        await serve.WaitForAsync(b => b.Contains("domain=\"one-9701\"", StringComparison.Ordinal)
            && b.Contains("onekvm_vm_cgroup_cpu_weight_applied{", StringComparison.Ordinal), TimeSpan.FromSeconds(90));
        using var prometheus = PrometheusServer.Start("onekvm", $"127.0.0.1:{serve.Port}");

        var cpu = await prometheus.WaitForAsync("onekvm_vm_cpu_seconds_total{domain=\"one-9701\"}", r => r.Count == 1, TimeSpan.FromSeconds(60));
        var upstream = await prometheus.WaitForAsync("opennebula_libvirt_cpu_seconds_total", r => r.Count >= 2, TimeSpan.FromSeconds(30));
        var rdBytes = await prometheus.WaitForAsync("opennebula_libvirt_block_rd_bytes{domain=\"one-9701\",device=\"vda\"}", r => r.Count == 1, TimeSpan.FromSeconds(30));
        var weight = await prometheus.WaitForAsync("onekvm_vm_cgroup_cpu_weight_applied{domain=\"one-9701\"}", r => r.Count == 1, TimeSpan.FromSeconds(30));
        var after = DomStats(domain.Name);

        cpu.Single().Labels["one_vm_id"].ShouldBe("9701");
        cpu.Single().Value.ShouldBeInRange(before["cpu.time"] / 1e9, after["cpu.time"] / 1e9);
        upstream.Select(r => r.Labels["domain"]).ShouldContain("onekvm-test-srv1");
        upstream.Single(r => r.Labels["domain"] == "one-9701").Labels["one_vm_name"].ShouldBe("scraped");
        rdBytes.Single().Value.ShouldBeInRange(before["block.0.rd.bytes"], after["block.0.rd.bytes"]);
        weight.Single().Value.ShouldBe(512); // libvirt 9 writes <shares> as cpu.shares (v1) and as cpu.weight (v2) alike
    }

    [Fact]
    public async Task Serve_LibvirtdStoppedAndRestarted_ReportsDownKeepsAnsweringThenRecovers()
    {
        using var vm = TestDomain.Start(new TestDomainSpec { Name = "one-9703" });
        using var serve = ServeProcess.Start(_dir, ["--Serve:IntervalSeconds=1", "--Libvirt:TimeoutSeconds=3"]);
        await serve.WaitForAsync(b => b.Contains("onekvm_libvirt_up 1\n", StringComparison.Ordinal)
            && b.Contains("domain=\"one-9703\"", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        try
        {
            LibvirtDaemon.Stop();
            // The kernel-side probes go on in the same exposition (the libvirt-side ones fail).
            var down = await serve.WaitForAsync(b => b.Contains("onekvm_libvirt_up 0\n", StringComparison.Ordinal)
                && b.Contains("onekvm_probe_success{probe=\"vm_stats\"} 0", StringComparison.Ordinal)
                && b.Contains("onekvm_probe_success{probe=\"monitor_host\"} 1", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            down.ShouldContain("opennebula_libvirt_daemon_up 0");
            down.ShouldContain("onekvm_probe_success{probe=\"beacon_host\"} 1");
        }
        finally
        {
            LibvirtDaemon.Start();
        }
        var back = await serve.WaitForAsync(b => b.Contains("onekvm_libvirt_up 1\n", StringComparison.Ordinal)
            && b.Contains("onekvm_probe_success{probe=\"vm_stats\"} 1", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        back.ShouldContain("domain=\"one-9703\"");
    }

    private static Dictionary<string, double> DomStats(string name)
    {
        var (code, stdout, stderr) = TestDomain.Virsh("domstats", name);
        code.ShouldBe(0, stderr);
        return stdout.Split('\n').Select(l => l.Trim()).Where(l => l.Contains('=', StringComparison.Ordinal))
            .Select(l => l.Split('=', 2))
            .Where(kv => double.TryParse(kv[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
            .ToDictionary(kv => kv[0], kv => double.Parse(kv[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
