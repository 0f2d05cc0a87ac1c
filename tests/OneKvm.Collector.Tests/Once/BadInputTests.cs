using Microsoft.Extensions.Time.Testing;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Once;

/// <summary>Bad input met by <c>--once</c>: a clear warning or error, the other parts going on.</summary>
public sealed class BadInputTests : IDisposable
{
    private const string Scenario = "kvm-three-domains";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1795000030000);
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-bad-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string stateDir, params string[] extra)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await Entry.RunAsync(
            ["--once", .. extra, $"--Libvirt:Replay={Path.Join(TestPaths.Host(Scenario), "libvirt.json")}", "--root", TestPaths.Host(Scenario), "--state-dir", stateDir],
            stdout, stderr, new FakeTimeProvider(Now));
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task StateFile_NullRowAndRowWithoutUuid_WarnsDropsThemAndRewritesTheFile()
    {
        var file = Path.Join(_dir, "state_vm.json");
        await File.WriteAllTextAsync(file, """
            {"LastSyncUnixSeconds":1795000020,"Vms":[null,{"Id":7,"State":"RUNNING","Missing":0,"TimestampUnixSeconds":1795000020},
             {"Uuid":"763b300d-5f20-4390-b4dd-09aefcc95062","Id":9390,"DeployId":"763b300d-5f20-4390-b4dd-09aefcc95062","Name":"one-9390","State":"SUSPENDED","Missing":0,"TimestampUnixSeconds":1795000020}]}
            """);

        var (code, stdout, stderr) = await RunAsync(_dir, "--category", "state_vm");

        code.ShouldBe(0);
        stderr.ShouldContain($"onekvm-probe: warning: {file}: Vms[0] is null: row dropped\n");
        stderr.ShouldContain($"onekvm-probe: warning: {file}: Vms[1] is missing its Uuid or State: row dropped\n");
        // The kept row changed (SUSPENDED to RUNNING), one-9391 is new; the dropped rows are not reported.
        stdout.ShouldBe("""
            VM = [ ID="9390", DEPLOY_ID="763b300d-5f20-4390-b4dd-09aefcc95062",  STATE="RUNNING" ]
            VM = [ ID="9391", DEPLOY_ID="a6687fe5-8d21-4f02-ac3a-ded1546fea7f",  STATE="SUSPENDED" ]

            """);
        var rewritten = await File.ReadAllTextAsync(file);
        rewritten.ShouldNotContain("null,");
        rewritten.ShouldContain("\"Uuid\":\"a6687fe5-8d21-4f02-ac3a-ded1546fea7f\"");

        var again = await RunAsync(_dir, "--category", "state_vm");
        again.Stderr.ShouldBeEmpty();
        again.Code.ShouldBe(0);
    }

    [Fact]
    public async Task StateDirectoryUnwritable_MonitorVmStillReportsAndWarnsOnce()
    {
        var blocked = Path.Join(_dir, "not-a-directory");
        await File.WriteAllTextAsync(blocked, "a file where the state directory should be");

        var (code, stdout, stderr) = await RunAsync(Path.Join(blocked, "state"), "--category", "monitor_vm", "--Probes:FirstSampleWindowSeconds=0");

        code.ShouldBe(0);
        stdout.ShouldContain("VM = [ ID=\"9390\", DEPLOY_ID=\"763b300d-5f20-4390-b4dd-09aefcc95062\", MONITOR=\"");
        // one warning, naming the directory (not one per state file)
        stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldHaveSingleItem()
            .ShouldStartWith($"onekvm-probe: warning: state directory {Path.Join(blocked, "state")} is not writable (");
    }
}
