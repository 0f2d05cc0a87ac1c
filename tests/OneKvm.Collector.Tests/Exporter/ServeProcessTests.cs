using OneKvm.Collector.Tests.Support;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Exporter;

/// <summary><c>serve</c> as a real process over a replayed libvirt whose recording the test switches (faults on demand).</summary>
public sealed class ServeProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-serve-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Recording => Path.Join(_dir, "libvirt.json");

    /// <summary>Points the running serve at another recorded scenario (the replay client re-reads a changed file).</summary>
    private void Switch(string scenario)
    {
        var temporary = Recording + ".tmp";
        File.Copy(Path.Join(TestPaths.Fixtures, "libvirt", scenario + ".json"), temporary, overwrite: true);
        File.SetLastWriteTimeUtc(temporary, DateTime.UnixEpoch.AddSeconds(Interlocked.Increment(ref _generation)));
        File.Move(temporary, Recording, overwrite: true);
    }

    private long _generation;

    /// <summary>Only the libvirt check and the beacon: the other sources need recordings these scenarios do not have.</summary>
    private static readonly string[] BeaconOnly = new[] { "system_host", "monitor_host", "vm_stats", "cgroups", "state_vm", "monitor_vm", "poll" }
        .Select((name, i) => $"--Serve:ExcludeCategories:{i}={name}").ToArray();

    private ServeProcess Start(string scenario, double intervalSeconds)
    {
        Switch(scenario);
        return ServeProcess.Start(_dir, [$"--Libvirt:Replay={Recording}", $"--Serve:IntervalSeconds={intervalSeconds}", .. BeaconOnly]);
    }

    /// <summary>Every probe serve runs here has reported (libvirt and the categories <see cref="BeaconOnly"/> leaves).</summary>
    private static bool HasAllProbes(string body) => new[] { "libvirt", "exec_vm", "snapshot_vm", "beacon_host" }
        .All(probe => body.Contains($"onekvm_probe_success{{probe=\"{probe}\"}}", StringComparison.Ordinal));

    [Fact]
    public async Task Serve_ConcurrentScrapesWithinOneTick_GetIdenticalCompleteBodies()
    {
        using var serve = Start("libvirtd-up", intervalSeconds: 3600);
        await serve.WaitForAsync(HasAllProbes, TimeSpan.FromSeconds(30));
        Switch("libvirtd-down"); // a scrape that asked libvirt now would see it down

        var bodies = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(serve.ScrapeAsync)));

        bodies.Distinct().Count().ShouldBe(1);
        bodies[0].ShouldContain("onekvm_libvirt_up 1\n"); // from the one tick, not from the scrapes
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

        Switch("libvirtd-down");
        var down = await serve.WaitForAsync(b => b.Contains("onekvm_libvirt_up 0\n", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Switch("libvirtd-up");
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
