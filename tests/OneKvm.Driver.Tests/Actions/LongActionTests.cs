using OneKvm.Driver.Tests.Support;

namespace OneKvm.Driver.Tests.Actions;

/// <summary>
/// The time paths, with a stand-in virsh (a real bash process) that is slower than any fixed limit
/// or keeps its output pipe open: a real domain here cannot be made to save or migrate that slowly.
/// </summary>
public sealed class LongActionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-slow-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Log => Path.Join(_dir, "calls.log");

    /// <summary>A stand-in virsh: logs its arguments, then runs <paramref name="body"/> (bash; $cmd is the subcommand).</summary>
    private OneVmmExec With(string body, string kvmrc = "")
    {
        var virsh = Path.Join(_dir, "virsh");
        File.WriteAllText(virsh, $"""
            #!/bin/bash
            printf '%s\n' "$*" >> '{Log}'
            shift 2  # --connect URI
            cmd=$1
            flag='{_dir}/aborted'
            {body}
            """);
        File.SetUnixFileMode(virsh, (UnixFileMode)0b111_101_101);
        var one = new OneVmmExec(kvmrc);
        one.Environment["ONEKVM_VIRSH"] = virsh;
        return one;
    }

    [Fact]
    public async Task Save_VirshSlowerThanTheOldFixedKill_IsWaitedFor()
    {
        using var one = With("""[ "$cmd" = save ] && sleep 22; exit 0""");
        var answer = await one.ActionAsync("save", ["one-5", Path.Join(_dir, "checkpoint")], 5);
        answer.Line("SAVE", 5).ShouldBe("SAVE SUCCESS 5 -", answer.ToString());
        File.ReadAllLines(Log).ShouldBe([$"--connect qemu:///system save -- one-5 {Path.Join(_dir, "checkpoint")}"]);
    }

    [Fact]
    public async Task Migrate_JobTimeoutFires_AbortsTheJobAndSaysWhereTheVmIs()
    {
        using var one = With("""
            case $cmd in
              migrate) for i in $(seq 600); do [ -e "$flag" ] && { echo "error: operation aborted: migration out job: canceled by client" >&2; exit 1; }; sleep 0.1; done; exit 0 ;;
              domjobabort) touch "$flag" ;;
              metadata) echo "error: metadata not found: Requested metadata element is not present" >&2; exit 1 ;;
            esac
            exit 0
            """, "ONEKVM_JOB_TIMEOUT=1\n");

        var answer = await one.ActionAsync("migrate", ["one-6", "kvm2", "kvm1"], 6, "kvm1");

        answer.Result.ShouldBe("FAILURE");
        answer.Info.ShouldStartWith("Could not migrate one-6 to kvm2: libvirt did not finish within 1 s");
        answer.Info.ShouldContain("canceled by client");
        answer.Info.ShouldContain("the job was aborted (virsh domjobabort), the domain stays on this host");
        answer.Logs.ShouldContain(l => l.StartsWith("LOG W -1 migrate: one-6: libvirt job still running after 1 s", StringComparison.Ordinal));
        File.ReadAllLines(Log).ShouldContain("--connect qemu:///system domjobabort -- one-6");
    }

    [Fact]
    public async Task Reboot_GrandchildKeepsThePipeOpen_AnswerComesAndTheGroupIsKilled()
    {
        var pidFile = Path.Join(_dir, "grandchild.pid");
        using var one = With($"""sleep 300 & echo $! > '{pidFile}'; exit 0""");

        var started = System.Diagnostics.Stopwatch.StartNew();
        var answer = await one.ActionAsync("reboot", ["one-7"], 7);

        answer.Line("REBOOT", 7).ShouldBe("REBOOT SUCCESS 7 -", answer.ToString());
        started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(200), "the action must not wait for the grandchild's 300 s");
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < 50 && Directory.Exists($"/proc/{pid}"); i++) await Task.Delay(100);
        Directory.Exists($"/proc/{pid}").ShouldBeFalse("the grandchild in virsh's process group is killed");
    }

    [Fact]
    public async Task OptionInjection_DomainLikeAnOption_VirshNeverRuns()
    {
        using var one = With("exit 0");
        var answer = await one.ActionAsync("reboot", ["--help"], 8);
        answer.Result.ShouldBe("FAILURE");
        answer.Info.ShouldBe("invalid domain name '--help'");
        File.Exists(Log).ShouldBeFalse();
    }

    [Theory]
    [InlineData("kvm2?socket=/tmp/evil")]
    [InlineData("kvm2/session")]
    [InlineData("-kvm2")]
    [InlineData("user@kvm2")]
    public async Task Migrate_DestinationNotAHostName_RefusedBeforeVirsh(string destination)
    {
        using var one = With("exit 0");
        var answer = await one.ActionAsync("migrate", ["one-9", destination, "kvm1"], 9, "kvm1");
        answer.Result.ShouldBe("FAILURE");
        answer.Info.ShouldBe($"invalid host name '{destination}'");
        File.Exists(Log).ShouldBeFalse();
    }

    [Fact]
    public async Task MigrateLocal_FailedMigration_CleansTheDestination()
    {
        using var one = With("""
            case $cmd in
              migrate) echo "error: operation failed: migration failed" >&2; exit 1 ;;
              snapshot-list) echo snap-0 ;;
            esac
            exit 0
            """, "QEMU_PROTOCOL=qemu+tcp\n");
        var answer = await one.ActionAsync("migrate_local", ["one-10", "kvm2", "kvm1"], 10, "kvm1");
        answer.Result.ShouldBe("FAILURE");
        answer.Info.ShouldBe("Could not migrate one-10 to kvm2: operation failed: migration failed");
        File.ReadAllLines(Log).ShouldBe(
        [
            "--connect qemu+tcp://kvm1/system snapshot-list --name -- one-10",
            "--connect qemu+tcp://kvm1/system snapshot-delete --metadata -- one-10 snap-0",
            "--connect qemu+tcp://kvm1/system migrate --live -- one-10 qemu+tcp://kvm2/system",
            "--connect qemu+tcp://kvm2/system destroy -- one-10",
            "--connect qemu+tcp://kvm2/system undefine -- one-10",
        ]);
    }

    [Fact]
    public async Task Kvmrc_ConditionalsAndExpansions_DriveTheAction()
    {
        using var one = With("exit 0", """
            PROTO=tcp
            if [ "$PROTO" = tcp ]; then
                export QEMU_PROTOCOL="qemu+${PROTO}"
            fi
            MIGRATE_OPTIONS="--unsafe ${EXTRA:---persistent}"
            """);
        var answer = await one.ActionAsync("migrate", ["one-11", "kvm2.example.org", "kvm1"], 11, "kvm1");
        answer.Success.ShouldBeTrue(answer.ToString());
        File.ReadAllLines(Log).ShouldContain("--connect qemu:///system migrate --live --unsafe --persistent -- one-11 qemu+tcp://kvm2.example.org/system");
    }

    [Fact]
    public async Task Kvmrc_BashError_OneLineNamingTheFile()
    {
        using var one = With("exit 0", "A=1\nif [ x = y ]; then\n");
        var answer = await one.ActionAsync("reboot", ["one-12"], 12);
        answer.Result.ShouldBe("FAILURE");
        answer.ExitCode.ShouldBe(2);
        answer.Info.ShouldStartWith($"kvmrc: {one.Kvmrc}:3: syntax error");
        File.Exists(Log).ShouldBeFalse();
    }
}
