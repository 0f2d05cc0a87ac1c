using OneKvm.Collector.Tests.Support;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Exporter;

/// <summary><c>serve</c> as a real process with the stand-in virsh (libvirt faults on demand).</summary>
public sealed class ServeProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-serve-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string StandInVirsh => Path.Join(TestPaths.Fixtures, "bin", "virsh-recorded");

    /// <summary>A recordings directory the test can switch between scenarios while serve runs.</summary>
    private string Recordings(string scenario)
    {
        var dir = Path.Join(_dir, "recordings");
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        foreach (var file in Directory.GetFiles(Path.Join(TestPaths.Fixtures, "virsh", scenario)))
            File.Copy(file, Path.Join(dir, Path.GetFileName(file)));
        return dir;
    }

    private string VirshLog => Path.Join(_dir, "virsh-calls.log");

    /// <summary>Only the libvirt check and the beacon: the other sources need recordings these scenarios do not have.</summary>
    private static readonly string[] BeaconOnly = new[] { "system_host", "monitor_host", "vm_stats", "cgroups", "state_vm", "monitor_vm", "poll" }
        .Select((name, i) => $"--Serve:ExcludeCategories:{i}={name}").ToArray();

    private ServeProcess Start(string scenario, double intervalSeconds) =>
        ServeProcess.Start(_dir, ["--virsh", StandInVirsh, $"--Serve:IntervalSeconds={intervalSeconds}", .. BeaconOnly],
            new Dictionary<string, string?> { ["ONEKVM_VIRSH_RECORDINGS"] = Recordings(scenario), ["ONEKVM_VIRSH_LOG"] = VirshLog });

    private static bool HasAllProbes(string body) =>
        body.Contains("onekvm_probe_success{probe=\"libvirt\"}", StringComparison.Ordinal) &&
        body.Contains("onekvm_probe_success{probe=\"beacon_host\"}", StringComparison.Ordinal);

    [Fact]
    public async Task Serve_ConcurrentScrapesWithinOneTick_GetIdenticalCompleteBodies()
    {
        using var serve = Start("libvirtd-up", intervalSeconds: 3600);
        await serve.WaitForAsync(HasAllProbes, TimeSpan.FromSeconds(30));
        var callsBefore = File.ReadAllLines(VirshLog);

        var bodies = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(serve.ScrapeAsync)));

        bodies.Distinct().Count().ShouldBe(1);
        File.ReadAllLines(VirshLog).ShouldBe(callsBefore); // scrapes never run virsh
        callsBefore.ShouldBe(["version --daemon"]); // one libvirt check; the beacon needs no virsh
        bodies[0].ShouldContain("onekvm_libvirt_up 1\n");
        bodies[0].ShouldEndWith("\n");
        var (exitCode, output) = await Promtool.CheckMetricsAsync(bodies[0]);
        exitCode.ShouldBe(0, output);
        (await serve.TerminateAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Serve_LibvirtdStopsAndReturns_LibvirtUpFollowsAndEndpointKeepsAnswering()
    {
        using var serve = Start("libvirtd-up", intervalSeconds: 1);
        await serve.WaitForAsync(b => b.Contains("onekvm_libvirt_up 1\n", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        Recordings("libvirtd-down");
        var down = await serve.WaitForAsync(b => b.Contains("onekvm_libvirt_up 0\n", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Recordings("libvirtd-up");
        var up = await serve.WaitForAsync(b => b.Contains("onekvm_libvirt_up 1\n", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        down.ShouldContain("opennebula_libvirt_daemon_up 0\n");
        down.ShouldContain("onekvm_probe_success{probe=\"libvirt\"} 0\n");
        down.ShouldContain("onekvm_probe_success{probe=\"beacon_host\"} 1\n"); // other probes unaffected
        up.ShouldContain("opennebula_libvirt_daemon_up 1\n");
        up.ShouldContain("onekvm_probe_success{probe=\"libvirt\"} 1\n");
    }

    [Fact]
    public async Task Serve_PortTaken_ExitsOneNamingTheAddress()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        File.WriteAllText(Path.Join(_dir, "kvmrc"), "");
        using var serve = ProbeProcess.Start(["serve", "--listen", $"127.0.0.1:{port}", "--kvmrc", Path.Join(_dir, "kvmrc")]);

        (await serve.WaitForExitAsync(TimeSpan.FromSeconds(30))).ShouldBe(1);
        serve.Stderr.ShouldContain($"cannot listen on 127.0.0.1:{port}");
    }

    [Fact]
    public async Task Serve_BadListenAddress_ExitsTwoNamingIt()
    {
        File.WriteAllText(Path.Join(_dir, "kvmrc"), "");
        using var serve = ProbeProcess.Start(["serve", "--listen", "localhost", "--kvmrc", Path.Join(_dir, "kvmrc")]);

        (await serve.WaitForExitAsync(TimeSpan.FromSeconds(30))).ShouldBe(2);
        serve.Stderr.ShouldContain("--listen 'localhost': expected ADDRESS:PORT");
    }
}
