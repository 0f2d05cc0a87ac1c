using OneKvm.Collector.Tests.Agent;
using OneKvm.Collector.Tests.Support;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.RealHost;

/// <summary>
/// The agent on this host with real QEMU domains: every category reaches a listener that decodes
/// like monitord, and the decoded text agrees with what <c>--once</c> prints for the same category.
/// </summary>
[Trait(TestTraits.Category, TestTraits.RealHost)]
[Collection(LibvirtGroup.Name)]
public sealed class AgentRealHostTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-agent-real-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Agent_RealDomains_SendsEveryCategoryAsOncePrintsIt()
    {
        using var vm = TestDomain.Start(new TestDomainSpec { Name = "one-9702", Disks = true, TapNic = true, OneVmName = "agent" });
        using var wild = TestDomain.Start(new TestDomainSpec { Name = "onekvm-test-srv2" });
        await using var monitord = new MonitordListener();
        var kvmrc = Path.Join(_dir, "kvmrc");
        File.WriteAllText(kvmrc, "");
        var configuration = MonitorConfigurationTests.Shipped
            .Replace("<PORT>4124</PORT>", $"<PORT>{monitord.Port}</PORT>", StringComparison.Ordinal)
            .Replace("<MONITOR_ADDRESS>auto</MONITOR_ADDRESS>", "<MONITOR_ADDRESS>127.0.0.1</MONITOR_ADDRESS>", StringComparison.Ordinal)
            .Replace("<MONITOR_HOST>120</MONITOR_HOST>", "<MONITOR_HOST>2</MONITOR_HOST>", StringComparison.Ordinal)
            .Replace("<MONITOR_VM>30</MONITOR_VM>", "<MONITOR_VM>2</MONITOR_VM>", StringComparison.Ordinal)
            .Replace("<STATE_VM>5</STATE_VM>", "<STATE_VM>2</STATE_VM>", StringComparison.Ordinal);
        using var agent = ProbeProcess.Start(
            ["agent", "--kvmrc", kvmrc, $"--Agent:DbDirectory={Path.Join(_dir, "one_db")}", "--state-dir", Path.Join(_dir, "agent-state")],
            configuration);
        var document = await agent.ReadStdoutToEndAsync(TimeSpan.FromSeconds(60));

        var timeout = TimeSpan.FromSeconds(60);
        // SYSTEM_HOST (period 600 s) goes out first in the start-up document, plain Base64 as upstream.
        // So does the first STATE_VM, the sync run; later runs send only changes (none here).
        var systemText = FromDocument(document, "SYSTEM_HOST");
        var stateText = FromDocument(document, "STATE_VM");
        var host = await monitord.NextAsync(m => m.Type == "MONITOR_HOST", timeout);
        // MONITOR_VM: compared with a --once run, then with the agent's next message after it. A
        // domstats --nowait of one process that meets another's (agent vs --once) legitimately lacks
        // the block stats, so up to three rounds are taken; the last one must agree.
        string onceMonitor = "";
        DecodedMessage monitor = host;
        for (var round = 0; round < 3; round++)
        {
            onceMonitor = await OnceAsync("monitor_vm", kvmrc);
            monitor = await monitord.NextAsync(m => m.Type == "MONITOR_VM" && m.Text.Contains("ID=\"9702\"", StringComparison.Ordinal), timeout);
            if (MonitorKeys(monitor.Text, "9702").SequenceEqual(MonitorKeys(onceMonitor, "9702"))) break;
        }
        (await agent.TerminateAsync(TimeSpan.FromSeconds(15))).ShouldBe(0, agent.Stderr);

        new[] { host, monitor }.ShouldAllBe(m => m.Status == "SUCCESS" && m.HostId == 7 && m.Transport == "udp");

        // SYSTEM_HOST: identical but for the datastore free space, which moves between the two reads.
        static string[] Stable(string text) => text.Split('\n').Where(l => !l.StartsWith("DS", StringComparison.Ordinal)).ToArray();
        Stable(systemText).ShouldBe(Stable(await OnceAsync("system_host", kvmrc)));
        systemText.ShouldContain($"DEPLOY_ID=\"{wild.Uuid}\", VM_NAME=\"onekvm-test-srv2\"");

        // MONITOR_HOST: the same attributes (the values are a moment apart).
        Keys(host.Text).ShouldBe(Keys(await OnceAsync("monitor_host", kvmrc)));

        // STATE_VM: the sync run lists the domain with the same line --once prints on its first (sync) run.
        var line = $"VM = [ ID=\"9702\", DEPLOY_ID=\"{vm.Uuid}\",  STATE=\"RUNNING\" ]";
        stateText.ShouldContain("SYNC_STATE=yes");
        stateText.ShouldContain(line);
        (await OnceAsync("state_vm", kvmrc)).ShouldContain(line);

        // MONITOR_VM: the same VM entry shape and the same decoded keys.
        monitor.Text.ShouldContain($"DEPLOY_ID=\"{vm.Uuid}\"");
        MonitorKeys(monitor.Text, "9702").ShouldBe(MonitorKeys(onceMonitor, "9702"));
        monitord.Errors.ShouldBeEmpty();
    }

    private static string FromDocument(string document, string element)
    {
        var match = System.Text.RegularExpressions.Regex.Match(document, $"<{element}>([^<]*)</{element}>");
        match.Success.ShouldBeTrue(document);
        return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(match.Groups[1].Value));
    }

    private async Task<string> OnceAsync(string category, string kvmrc)
    {
        using var once = ProbeProcess.Start(["--once", "--category", category, "--kvmrc", kvmrc, "--state-dir", Path.Join(_dir, "once-" + category)]);
        var text = await once.ReadStdoutToEndAsync(TimeSpan.FromSeconds(60));
        (await once.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBe(0, once.Stderr);
        return text;
    }

    private static string[] Keys(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=')[0].Trim()).Distinct().Order().ToArray();

    /// <summary>The keys inside the decoded MONITOR of VM <paramref name="id"/>.</summary>
    private static string[] MonitorKeys(string text, string id)
    {
        var line = text.Split('\n').Single(l => l.Contains($"ID=\"{id}\"", StringComparison.Ordinal));
        var encoded = line[(line.IndexOf("MONITOR=\"", StringComparison.Ordinal) + 9)..];
        encoded = encoded[..encoded.IndexOf('"', StringComparison.Ordinal)];
        var decoded = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        return Keys(decoded);
    }
}
