using Microsoft.Extensions.Time.Testing;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Once;

/// <summary>
/// <c>onekvm-probe --once</c> through <see cref="Entry.RunAsync(string[], TextWriter, TextWriter, TimeProvider)"/>
/// over a recorded host (tests/fixtures/hosts/kvm-three-domains), libvirt replayed from its recording.
/// </summary>
public sealed class VmCategoriesGoldenTests : IDisposable
{
    private const string Scenario = "kvm-three-domains";

    // 30 s after the previous CPU sample kept in the scenario's state/monitor_vm.cpu.json.
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1795000030000);

    private readonly string _stateDir = Path.Join(Path.GetTempPath(), "onekvm-golden-" + Guid.NewGuid().ToString("N"));

    public VmCategoriesGoldenTests()
    {
        Directory.CreateDirectory(_stateDir);
        var previous = Path.Join(TestPaths.Host(Scenario), "state", "monitor_vm.cpu.json");
        File.Copy(previous, Path.Join(_stateDir, "monitor_vm.cpu.json"));
        File.Copy(previous, Path.Join(_stateDir, "poll.cpu.json"));
    }

    public void Dispose() => Directory.Delete(_stateDir, recursive: true);

    internal static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string libvirtScenario, string stateDir, DateTimeOffset now, params string[] extra)
    {
        string[] args =
        [
            "--once", .. extra,
            $"--Libvirt:Replay={Path.Join(TestPaths.Host(libvirtScenario), "libvirt.json")}",
            "--root", TestPaths.Host(Scenario),
            "--state-dir", stateDir,
        ];
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await Entry.RunAsync(args, stdout, stderr, new FakeTimeProvider(now));
        return (code, stdout.ToString(), stderr.ToString().Replace(TestPaths.Fixtures, "$FIXTURES", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MonitorVm_RecordedHost_MatchesGolden()
    {
        var (code, stdout, stderr) = await RunAsync(Scenario, _stateDir, Now, "--category", "monitor_vm");
        stderr.ShouldBeEmpty();
        code.ShouldBe(0);
        GoldenFile.Check($"hosts/{Scenario}/expected/monitor_vm.txt", stdout);
        GoldenFile.Check($"hosts/{Scenario}/expected/monitor_vm.decoded.txt", Decode(stdout));
    }

    [Fact]
    public async Task StateVm_FirstAndSecondRun_SyncThenNothing()
    {
        var first = await RunAsync(Scenario, _stateDir, Now, "--category", "state_vm");
        first.Code.ShouldBe(0);
        GoldenFile.Check($"hosts/{Scenario}/expected/state_vm.txt", first.Stdout);
        var second = await RunAsync(Scenario, _stateDir, Now.AddSeconds(5), "--category", "state_vm");
        second.Code.ShouldBe(0);
        second.Stdout.ShouldBeEmpty(); // nothing changed, not a sync run: nothing to send
        var sync = await RunAsync(Scenario, _stateDir, Now.AddSeconds(181), "--category", "state_vm");
        sync.Stdout.ShouldBe(first.Stdout);
    }

    [Fact]
    public async Task Poll_SuspendedAndRunningAndGone_LegacyLines()
    {
        (await RunAsync(Scenario, _stateDir, Now, "--category", "poll", "--vm", "one-9390")).Stdout
            .ShouldBe("STATE=a CPU=2 MEMORY=49844 NETRX=90 NETTX=0\n");
        (await RunAsync(Scenario, _stateDir, Now.AddSeconds(30), "--category", "poll", "--vm", "A6687FE5-8D21-4F02-AC3A-DED1546FEA7F")).Stdout
            .ShouldBe("STATE=p CPU=0 MEMORY=47760\n");
        (await RunAsync(Scenario, _stateDir, Now.AddSeconds(60), "--category", "poll", "--vm", "one-1")).Stdout.ShouldBe("STATE=d\n");
    }

    [Fact]
    public async Task VmCategories_LibvirtDown_FailWithUriAndKeepState()
    {
        var seed = await RunAsync(Scenario, _stateDir, Now, "--category", "state_vm");
        seed.Code.ShouldBe(0);
        var stateBefore = File.ReadAllText(Path.Join(_stateDir, "state_vm.json"));

        for (var i = 1; i <= 8; i++)
        {
            var (code, stdout, stderr) = await RunAsync("libvirt-down", _stateDir, Now.AddSeconds(200 * i), "--category", "state_vm,monitor_vm");
            code.ShouldBe(1);
            stdout.ShouldBeEmpty();
            stderr.ShouldNotContain("POWEROFF");
            if (i == 1) GoldenFile.Check("hosts/libvirt-down/expected/stderr.txt", stderr);
        }
        File.ReadAllText(Path.Join(_stateDir, "state_vm.json")).ShouldBe(stateBefore);

        var back = await RunAsync(Scenario, _stateDir, Now.AddSeconds(2000), "--category", "state_vm");
        back.Code.ShouldBe(0);
        back.Stdout.ShouldNotContain("STATE=\"POWEROFF\"");
        back.Stdout.ShouldStartWith("SYNC_STATE=yes\n");
    }

    private static string Decode(string monitorVm) => string.Concat(monitorVm.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
    {
        var b64 = line[(line.IndexOf("MONITOR=\"", StringComparison.Ordinal) + 9)..line.LastIndexOf('"')];
        return line[..line.IndexOf(", MONITOR", StringComparison.Ordinal)] + "\n" + System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(b64));
    }));
}
