using System.Diagnostics;
using OneKvm.Collector.Tests.Support;

namespace OneKvm.Collector.Tests.Cli;

/// <summary>The executable as a process: the log format, debug view, SIGTERM, and checks that depend on the user.</summary>
public sealed class DaemonProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-daemon-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>libvirt's built-in test driver: a fake host with one domain, no libvirtd involved.</summary>
    private const string TestDriver = "test:///default";

    private string Kvmrc()
    {
        var path = Path.Join(_dir, "kvmrc");
        File.WriteAllText(path, "");
        return path;
    }

    [Fact]
    public async Task Serve_LogsWithTimeAndLevel_WarnsOnceAboutTheStateDirectory_AndStopsCleanlyOnSigterm()
    {
        var blocker = Path.Join(_dir, "file");
        File.WriteAllText(blocker, "");
        var stateDir = Path.Join(blocker, "state");
        var port = ServeProcess.FreeTcpPort();
        using var serve = ProbeProcess.Start(["serve", "--listen", $"127.0.0.1:{port}", "--kvmrc", Kvmrc(), "--uri", TestDriver,
            "--state-dir", stateDir, "--Serve:IntervalSeconds=3600", .. BeaconOnly]);
        await WaitForAsync(() => serve.Stderr.Contains("listening on", StringComparison.Ordinal), serve);

        var clock = Stopwatch.StartNew();
        (await serve.TerminateAsync(TimeSpan.FromSeconds(15))).ShouldBe(0, serve.Stderr);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(12)); // DaemonHost.ShutdownTimeout is 10 s

        var lines = serve.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldAllBe(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d (info|warn|fail|crit|dbug): [A-Za-z.]+\[[0-9]+\] "));
        lines.Count(l => l.Contains($"state directory {stateDir} is not writable", StringComparison.Ordinal)).ShouldBe(1);
        lines.ShouldContain(l => l.Contains(" warn: onekvm.serve", StringComparison.Ordinal) && l.Contains(stateDir, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Once_LogLevelDebug_ShowsEachLibvirtCallAndItsDuration()
    {
        using var once = ProbeProcess.Start(["--once", "--category", "system_host,monitor_vm", "--kvmrc", Kvmrc(), "--uri", TestDriver,
            "--state-dir", _dir, "--log-level", "debug"]);
        await once.WaitForExitAsync(TimeSpan.FromSeconds(60));
        once.Stderr.ShouldMatch(@"dbug: onekvm\.libvirt\[0\] libvirt capabilities: [0-9]+\.[0-9] ms, [0-9]+ characters");
    }

    [Fact]
    public async Task Serve_PrivilegedPortAsNonRoot_IsAConfigurationError()
    {
        // As nobody (setpriv from util-linux): the kernel refuses ports below 1024.
        var info = new ProcessStartInfo("setpriv") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "--reuid=nobody", "--regid=nogroup", "--clear-groups", "dotnet", ProbeProcess.Dll,
                     "serve", "--listen", "127.0.0.1:99", "--kvmrc", "/dev/null" })
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["DOTNET_CLI_HOME"] = _dir;
        using var process = Process.Start(info)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(2, stderr);
        stderr.ShouldBe("onekvm-probe: argument --listen: Serve:Listen=127.0.0.1:99: port 99 is below 1024 and needs root or CAP_NET_BIND_SERVICE\n");
    }

    private static readonly string[] BeaconOnly = new[] { "libvirt", "system_host", "monitor_host", "vm_stats", "cgroups", "state_vm", "monitor_vm", "poll" }
        .Select((name, i) => $"--Serve:ExcludeCategories:{i}={name}").ToArray();

    private static async Task WaitForAsync(Func<bool> condition, ProbeProcess process)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            process.Process.HasExited.ShouldBeFalse(process.Stderr);
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), process.Stderr);
            await Task.Delay(100);
        }
    }
}
