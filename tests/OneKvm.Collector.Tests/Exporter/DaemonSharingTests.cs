using OneKvm.Collector.Tests.Support;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Exporter;

/// <summary><c>serve</c> as the host daemon: <c>--once</c> reads libvirt through its socket instead of its own connection.</summary>
public sealed class DaemonSharingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-daemon-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Once_WithADaemonOnTheSocket_ReadsTheDaemonsDomains()
    {
        var socket = Path.Join(_dir, "run", "sampler.sock");
        var recording = Path.Join(TestPaths.Host("kvm-three-domains"), "libvirt.json");
        using var serve = ServeProcess.Start(_dir, [$"--Libvirt:Replay={recording}", $"--Libvirt:SamplerSocket={socket}", "--Serve:IntervalSeconds=3600"]);
        await serve.WaitForAsync(b => b.Contains("onekvm_probe_success{probe=\"libvirt\"} 1", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        File.Exists(socket).ShouldBeTrue();
        File.GetUnixFileMode(socket).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);

        // No recording and a URI nothing listens on: the domains can only come from the daemon.
        var kvmrc = Path.Join(_dir, "kvmrc");
        using var once = ProbeProcess.Start(["--once", "--category", "state_vm", "--kvmrc", kvmrc, "--uri", "qemu+unix:///system?socket=/nonexistent",
            $"--Libvirt:SamplerSocket={socket}", $"--state-dir={Path.Join(_dir, "state")}"]);
        var stdout = await once.ReadStdoutToEndAsync(TimeSpan.FromSeconds(60));
        (await once.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBe(0, once.Stderr);

        stdout.ShouldBe("""
            SYNC_STATE=yes
            MISSING_STATE=POWEROFF
            VM = [ ID="9390", DEPLOY_ID="763b300d-5f20-4390-b4dd-09aefcc95062",  STATE="RUNNING" ]
            VM = [ ID="9391", DEPLOY_ID="a6687fe5-8d21-4f02-ac3a-ded1546fea7f",  STATE="SUSPENDED" ]

            """);
        (await serve.TerminateAsync()).ShouldBe(0);
        File.Exists(socket).ShouldBeFalse();
    }
}
