using System.Text.Json.Nodes;
using OneKvm.Collector.Tests.Support;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Dashboards;

/// <summary>
/// A real Prometheus scraping a running <c>serve</c> on real QEMU domains evaluates every panel
/// query of every dashboard and every alert and recording rule through its HTTP API; a broken copy
/// of a dashboard proves the check fails, naming dashboard, panel and query.
/// </summary>
[Trait(TestTraits.Category, TestTraits.RealHost)]
[Collection(LibvirtGroup.Name)]
public sealed class DashboardQueryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-dashq-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Whether the kernel gives cgroups PSI files (<c>cpu.pressure</c>: cgroup v2, or v1 with <c>psi=1</c> support).</summary>
    private static bool HostHasCgroupPsi { get; } = Directory.Exists("/sys/fs/cgroup") && Directory.EnumerateFiles("/sys/fs/cgroup", "cpu.pressure",
        new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 4, IgnoreInaccessible = true }).Any();

    private static bool NeedsPsi(PanelQuery q) => !HostHasCgroupPsi && q.Expr.Contains("_pressure_", StringComparison.Ordinal);

    [Fact]
    public async Task Dashboards_EveryPanelQueryAndRule_EvaluateWithDataOnARealServe_AndABrokenCopyFails()
    {
        using var vm = TestDomain.Start(new TestDomainSpec { Name = "one-9850", Disks = true, TapNic = true, OneVmName = "dash-web", Shares = 512, Vcpus = 2 });
        using var second = TestDomain.Start(new TestDomainSpec { Name = "one-9851", Shares = 1024 });
        using var wild = TestDomain.Start(new TestDomainSpec { Name = "onekvm-test-srv5a" });
        using var serve = ServeProcess.Start(_dir, ["--Serve:IntervalSeconds=1"]);
        await serve.WaitForAsync(b => b.Contains("onekvm_vm_cpu_starved{domain=\"one-9850\"", StringComparison.Ordinal)
            && b.Contains("onekvm_vm_disk_read_bytes_total{domain=\"one-9850\"", StringComparison.Ordinal)
            && b.Contains("onekvm_vm_network_receive_bytes_total{domain=\"one-9850\"", StringComparison.Ordinal)
            && b.Contains("onekvm_probe_success{probe=\"system_host\"} 1", StringComparison.Ordinal), TimeSpan.FromSeconds(120));
        var rulesFile = Path.Join(TestPaths.RepoRoot, "dashboards", "prometheus", "onekvm.rules.yml");
        var rules = RuleFile.Load(rulesFile);
        using var prometheus = PrometheusServer.StartWithConfig(_ => $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            rule_files: ['{rulesFile}']
            scrape_configs:
              - job_name: onekvm
                static_configs:
                  - targets: ['127.0.0.1:{serve.Port}']
            """);
        // Rates need two samples of every series: wait for the slowest (the audit's starved flag, disk and NIC counters).
        await prometheus.WaitForAsync("count_over_time(onekvm_vm_cpu_starved{domain=\"one-9850\"}[1m])", r => r[0].Value >= 3, TimeSpan.FromSeconds(90));
        await prometheus.WaitForAsync("count_over_time(onekvm_vm_disk_read_bytes_total{domain=\"one-9850\",device=\"vda\"}[1m])", r => r[0].Value >= 3, TimeSpan.FromSeconds(60));
        await DashboardCheck.WaitForRuleEvaluationAsync(prometheus, rules.Count, TimeSpan.FromSeconds(60));

        var dashboards = GrafanaDashboard.All();
        var queries = dashboards.SelectMany(d => d.Queries).ToList();
        queries.Count.ShouldBeGreaterThan(40);
        (await DashboardCheck.EvaluateAsync(prometheus, queries, NeedsPsi)).ShouldBeEmpty();
        (await DashboardCheck.EvaluateRulesAsync(prometheus, rules)).ShouldBeEmpty();

        // Every VM of the host is in the VM dashboard's variable.
        using var values = await prometheus.ApiAsync("/api/v1/label/domain/values?match[]=" + Uri.EscapeDataString($"onekvm_vm_info{{instance=\"127.0.0.1:{serve.Port}\"}}"));
        var domains = values.RootElement.GetProperty("data").EnumerateArray().Select(v => v.GetString()).ToList();
        new[] { "one-9850", "one-9851", "onekvm-test-srv5a" }.Where(d => !domains.Contains(d)).ShouldBeEmpty();

        // The same check on a copy with a misspelled metric and a syntax error must fail, naming both.
        var broken = Path.Join(_dir, "broken");
        Directory.CreateDirectory(broken);
        var json = JsonNode.Parse(File.ReadAllText(Path.Join(GrafanaDashboard.Directory, "onekvm-vms.json")))!.AsObject();
        var panels = json["panels"]!.AsArray().Where(p => (string)p!["type"]! != "row").ToList();
        var misspelled = panels[0]!["targets"]![0]!;
        misspelled["expr"] = ((string)misspelled["expr"]!).Replace("onekvm_vm_cpu_seconds_total", "onekvm_vm_cpu_seconds_totl", StringComparison.Ordinal);
        var syntax = panels[1]!["targets"]![0]!;
        syntax["expr"] = "rate(" + (string)syntax["expr"]!;
        File.WriteAllText(Path.Join(broken, "onekvm-vms.json"), json.ToJsonString());
        var failures = await DashboardCheck.EvaluateAsync(prometheus, GrafanaDashboard.Load(broken).Single().Queries, NeedsPsi);
        failures.Count.ShouldBe(2, string.Join("\n", failures));
        failures[0].ShouldStartWith($"dashboard 'OneKvm / Virtual machines', panel '{panels[0]!["title"]}', query A: ");
        failures[0].ShouldEndWith(": no series");
        failures[1].ShouldStartWith($"dashboard 'OneKvm / Virtual machines', panel '{panels[1]!["title"]}', query A: ");
        failures[1].ShouldContain(": error: ");
    }
}
