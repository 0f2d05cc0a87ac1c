using System.Diagnostics;
using System.Text.Json;
using OneKvm.Collector.Fleet;
using OneKvm.Collector.Tests.Support;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Fleet;

/// <summary><c>onekvm-probe targets</c> and the fleet scrape configuration, loaded by promtool and a real Prometheus.</summary>
public sealed class FleetTargetsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-fleet-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Shaped like <c>onehost list -x</c> of OpenNebula 6/7 (abridged: HOST_SHARE and TEMPLATE are longer).</summary>
    private const string HostPool = """
        <HOST_POOL>
          <HOST>
            <ID>0</ID><NAME>kvm-a.example.org</NAME><STATE>2</STATE><PREV_STATE>2</PREV_STATE>
            <IM_MAD><![CDATA[kvm]]></IM_MAD><VM_MAD><![CDATA[kvm]]></VM_MAD>
            <CLUSTER_ID>0</CLUSTER_ID><CLUSTER>default</CLUSTER>
            <HOST_SHARE><MEM_USAGE>0</MEM_USAGE><CPU_USAGE>0</CPU_USAGE></HOST_SHARE>
            <TEMPLATE><HYPERVISOR><![CDATA[kvm]]></HYPERVISOR></TEMPLATE>
          </HOST>
          <HOST>
            <ID>7</ID><NAME>10.0.0.7</NAME><STATE>3</STATE>
            <IM_MAD>kvm</IM_MAD><VM_MAD>kvm</VM_MAD><CLUSTER_ID>100</CLUSTER_ID><CLUSTER>edge</CLUSTER>
          </HOST>
          <HOST>
            <ID>8</ID><NAME>kvm-off</NAME><STATE>4</STATE>
            <IM_MAD>kvm</IM_MAD><VM_MAD>kvm</VM_MAD><CLUSTER_ID>0</CLUSTER_ID><CLUSTER>default</CLUSTER>
          </HOST>
          <HOST>
            <ID>9</ID><NAME>lxc-1</NAME><STATE>2</STATE>
            <IM_MAD>lxc</IM_MAD><VM_MAD>lxc</VM_MAD><CLUSTER_ID>0</CLUSTER_ID><CLUSTER>default</CLUSTER>
          </HOST>
        </HOST_POOL>
        """;

    [Fact]
    public void Render_HostPool_KvmHostsInServiceWithIdAndClusterLabels()
    {
        var hosts = FleetTargets.ParseHostPool(HostPool, "hosts.xml");
        using var json = JsonDocument.Parse(FleetTargets.Render(hosts, 9926, includeDisabled: false));
        var groups = json.RootElement.EnumerateArray().ToList();
        groups.Select(g => g.GetProperty("targets")[0].GetString()).ShouldBe(["kvm-a.example.org:9926", "10.0.0.7:9926"]);
        groups[1].GetProperty("labels").GetProperty("one_host_id").GetString().ShouldBe("7");
        groups[1].GetProperty("labels").GetProperty("cluster").GetString().ShouldBe("edge");
        groups[1].GetProperty("labels").GetProperty("one_cluster_id").GetString().ShouldBe("100");
        using var all = JsonDocument.Parse(FleetTargets.Render(hosts, 9100, includeDisabled: true));
        all.RootElement.GetArrayLength().ShouldBe(3);
    }

    [Theory]
    [InlineData("<HOST_POOL><HOST><NAME>a</NAME><STATE>2</STATE></HOST></HOST_POOL>", "hosts.xml:1: HOST without ID")]
    [InlineData("<HOST_POOL>\n<HOST><ID>x1</ID><NAME>a</NAME><STATE>2</STATE></HOST></HOST_POOL>", "hosts.xml:2: HOST ID 'x1' is not a number")]
    [InlineData("<HOST><ID>1</ID></HOST>", "hosts.xml:1: expected <HOST_POOL>")]
    [InlineData("<HOST_POOL>\n<HOST>", "hosts.xml:2: not valid XML")]
    public void ParseHostPool_Malformed_NamesFileLineAndField(string xml, string message) =>
        Should.Throw<InvalidDataException>(() => FleetTargets.ParseHostPool(xml, "hosts.xml")).Message.ShouldStartWith(message);

    [Fact]
    public async Task TargetsCommand_WritesTheFileThatPromtoolAndARunningPrometheusLoad()
    {
        var hostsFile = Path.Join(_dir, "hosts.xml");
        await File.WriteAllTextAsync(hostsFile, HostPool);
        var targets = Path.Join(_dir, "onekvm-targets.json");
        using (var command = ProbeProcess.Start(["targets", "--hosts", hostsFile, "--output", targets]))
            (await command.WaitForExitAsync(TimeSpan.FromSeconds(30))).ShouldBe(0, command.Stderr);
        File.Exists(targets).ShouldBeTrue();

        var shipped = await File.ReadAllTextAsync(Path.Join(TestPaths.RepoRoot, "dashboards", "prometheus", "onekvm-scrape.yml"));
        shipped.ShouldContain("/etc/prometheus/onekvm-targets.json");
        var config = shipped.Replace("/etc/prometheus/onekvm-targets.json", targets, StringComparison.Ordinal)
            .Replace("  - onekvm.rules.yml", $"  - {Path.Join(TestPaths.RepoRoot, "dashboards", "prometheus", "onekvm.rules.yml")}", StringComparison.Ordinal);
        var configFile = Path.Join(_dir, "prometheus.yml");
        await File.WriteAllTextAsync(configFile, config);
        var (code, output) = Support.Promtool.Run(null, "check", "config", configFile);
        code.ShouldBe(0, output);

        using var prometheus = PrometheusServer.StartWithConfig(_ => config);
        var clock = Stopwatch.StartNew();
        List<JsonElement> active = [];
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && active.Count < 2)
        {
            await Task.Delay(500);
            try
            {
                using var api = await prometheus.ApiAsync("/api/v1/targets");
                active = api.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray().Select(t => t.Clone()).ToList();
            }
            catch (HttpRequestException)
            {
            }
        }
        active.Select(t => t.GetProperty("labels").GetProperty("instance").GetString()).Order()
            .ShouldBe(["10.0.0.7:9926", "kvm-a.example.org:9926"]);
        active.ShouldAllBe(t => t.GetProperty("labels").GetProperty("job").GetString() == "onekvm");
        var edge = active.Single(t => t.GetProperty("labels").GetProperty("instance").GetString() == "10.0.0.7:9926").GetProperty("labels");
        edge.GetProperty("one_host_id").GetString().ShouldBe("7");
        edge.GetProperty("cluster").GetString().ShouldBe("edge");
        edge.GetProperty("one_host_name").GetString().ShouldBe("10.0.0.7");
    }
}
