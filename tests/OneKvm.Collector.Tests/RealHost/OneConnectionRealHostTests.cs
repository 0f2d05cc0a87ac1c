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
        var kvmrc = Path.Join(_dir, "kvmrc");
        using var agent = ProbeProcess.StartAgent(_dir, monitord.Port, monitorVmSeconds: 2, [$"--Libvirt:SamplerSocket={socket}"]);
        await agent.ReadStdoutToEndAsync(TimeSpan.FromSeconds(120));
        var monitor = await monitord.NextAsync(m => m.Type == "MONITOR_VM" && m.Text.Contains(vm.Uuid, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        monitor.Status.ShouldBe("SUCCESS");

        using var once = ProbeProcess.Start(["--once", "--category", "state_vm,monitor_vm", "--kvmrc", kvmrc,
            "--state-dir", Path.Join(_dir, "once-state"), $"--Libvirt:SamplerSocket={socket}"]);
        var onceText = await once.ReadStdoutToEndAsync(TimeSpan.FromSeconds(60));
        (await once.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBe(0, once.Stderr);
        onceText.ShouldContain(vm.Uuid);

        VirtAdmin.ClientsOf(serve.ProcessId).Count.ShouldBe(1);
        VirtAdmin.ClientsOf(agent.Process.Id).ShouldBeEmpty();
        (await agent.TerminateAsync(TimeSpan.FromSeconds(15))).ShouldBe(0, agent.Stderr);
        (await serve.TerminateAsync()).ShouldBe(0, serve.Stderr);
    }
}
