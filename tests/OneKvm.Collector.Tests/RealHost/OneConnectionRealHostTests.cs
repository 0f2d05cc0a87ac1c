using System.Diagnostics;
using System.Globalization;
using OneKvm.Collector.Tests.Agent;
using OneKvm.Collector.Tests.Support;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.RealHost;

/// <summary>The host daemon, the agent and an admin's <c>--once</c> on this host hold one libvirt connection between them (counted by <c>virt-admin</c>).</summary>
[Trait(TestTraits.Category, TestTraits.RealHost)]
[Collection(LibvirtGroup.Name)]
public sealed class OneConnectionRealHostTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-one-conn-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task DaemonAgentAndOnce_OneLibvirtConnection()
    {
        using var vm = TestDomain.Start(new TestDomainSpec { Name = "one-9710" });
        var socket = Path.Join(_dir, "run", "sampler.sock");
        using var serve = ServeProcess.Start(_dir, [$"--Libvirt:SamplerSocket={socket}", "--Serve:IntervalSeconds=2"]);
        await serve.WaitForAsync(b => b.Contains("onekvm_libvirt_up 1\n", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        await using var monitord = new MonitordListener();
        var configuration = MonitorConfigurationTests.Shipped
            .Replace("<PORT>4124</PORT>", $"<PORT>{monitord.Port}</PORT>", StringComparison.Ordinal)
            .Replace("<MONITOR_ADDRESS>auto</MONITOR_ADDRESS>", "<MONITOR_ADDRESS>127.0.0.1</MONITOR_ADDRESS>", StringComparison.Ordinal)
            .Replace("<MONITOR_VM>30</MONITOR_VM>", "<MONITOR_VM>2</MONITOR_VM>", StringComparison.Ordinal);
        var kvmrc = Path.Join(_dir, "kvmrc");
        using var agent = ProbeProcess.Start(
            ["agent", "--kvmrc", kvmrc, $"--Agent:DbDirectory={Path.Join(_dir, "one_db")}", "--state-dir", Path.Join(_dir, "agent-state"),
             $"--Libvirt:SamplerSocket={socket}"],
            configuration);
        await agent.ReadStdoutToEndAsync(TimeSpan.FromSeconds(120));
        var monitor = await monitord.NextAsync(m => m.Type == "MONITOR_VM" && m.Text.Contains(vm.Uuid, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        monitor.Status.ShouldBe("SUCCESS");

        using var once = ProbeProcess.Start(["--once", "--category", "state_vm,monitor_vm", "--kvmrc", kvmrc,
            "--state-dir", Path.Join(_dir, "once-state"), $"--Libvirt:SamplerSocket={socket}"]);
        var onceText = await once.ReadStdoutToEndAsync(TimeSpan.FromSeconds(60));
        (await once.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBe(0, once.Stderr);
        onceText.ShouldContain(vm.Uuid);

        Connections(serve.ProcessId).ShouldBe(1);
        Connections(agent.Process.Id).ShouldBe(0);
        (await agent.TerminateAsync(TimeSpan.FromSeconds(15))).ShouldBe(0, agent.Stderr);
        (await serve.TerminateAsync()).ShouldBe(0, serve.Stderr);
    }

    /// <summary>libvirtd's clients whose <c>unix_process_id</c> is <paramref name="pid"/>.</summary>
    private static int Connections(int pid)
    {
        var text = pid.ToString(CultureInfo.InvariantCulture);
        var ids = VirtAdmin("srv-clients-list", "libvirtd").Split('\n')
            .Select(l => l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 0 && f[0].All(char.IsAsciiDigit))
            .Select(f => f[0]);
        return ids.Count(id => VirtAdmin("client-info", "libvirtd", id).Split('\n')
            .Select(l => l.Split(':', 2))
            .Any(kv => kv.Length == 2 && kv[0].Trim() == "unix_process_id" && kv[1].Trim() == text));
    }

    private static string VirtAdmin(params string[] args)
    {
        var psi = new ProcessStartInfo("virt-admin") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["LC_ALL"] = "C";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return stdout;
    }
}
