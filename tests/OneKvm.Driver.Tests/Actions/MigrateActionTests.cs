using OneKvm.Driver.Actions;
using OneKvm.Tests;

namespace OneKvm.Driver.Tests.Actions;

public sealed class MigrateActionTests
{
    private const string ActionXml = """
        <VMM_DRIVER_ACTION_DATA><VM><TEMPLATE><FEATURES>
          <MIGRATE_AUTO_CONVERGE>20,10</MIGRATE_AUTO_CONVERGE><MIGRATE_COMPRESSED>YES</MIGRATE_COMPRESSED>
        </FEATURES></TEMPLATE></VM></VMM_DRIVER_ACTION_DATA>
        """;

    [Fact]
    public void BuildCommand_Defaults_LiveToQemuSsh()
    {
        MigrateAction.BuildCommand("one-7", "kvm2", new DriverSettings(), "")
            .ShouldBe(["migrate", "--live", "--", "one-7", "qemu+ssh://kvm2/system"]);
    }

    [Fact]
    public void BuildCommand_KvmrcAndTemplateOptions_AreAllPassed()
    {
        var settings = DriverSettings.FromKvmrc(
            new Dictionary<string, string> { ["MIGRATE_OPTIONS"] = "--unsafe --verbose", ["QEMU_PROTOCOL"] = "qemu+tcp" }, "kvmrc");
        MigrateAction.BuildCommand("one-7", "kvm2", settings, ActionXml).ShouldBe(
        [
            "migrate", "--live", "--unsafe", "--verbose", "--auto-converge", "--auto-converge-initial", "20",
            "--auto-converge-increment", "10", "--compressed", "--", "one-7", "qemu+tcp://kvm2/system",
        ]);
    }

    [Fact]
    public async Task Run_WithStandInVirsh_DropsSnapshotMetadataThenMigrates()
    {
        // No second libvirt host exists here: a stand-in virsh (a real process) records the calls.
        var recordings = Directory.CreateTempSubdirectory("onekvm-migrate-").FullName;
        try
        {
            File.WriteAllText(Path.Join(recordings, "snapshot-list_name__one-7.txt"), "snap-0\nsnap-1\n");
            File.WriteAllText(Path.Join(recordings, "metadata.exit"), "1");
            File.WriteAllText(Path.Join(recordings, "snapshot-delete.txt"), "");
            File.WriteAllText(Path.Join(recordings, "migrate.txt"), "");
            var log = Path.Join(recordings, "calls.log");
            using var run = new DriverRun("QEMU_PROTOCOL=qemu+tcp\n")
            {
                VirshPath = Path.Join(TestPaths.Fixtures, "bin", "virsh"),
                VirshEnvironment = new Dictionary<string, string> { ["ONEKVM_VIRSH_FIXTURE_DIR"] = recordings, ["ONEKVM_VIRSH_LOG"] = log },
            };

            var result = await run.RunAsync(ActionXml, "migrate", "one-7", "kvm2", "kvm1", "7", "kvm1");

            result.ExitCode.ShouldBe(0, result.Stderr);
            File.ReadAllLines(log).ShouldBe(
            [
                "--connect qemu:///system metadata -- one-7 http://opennebula.org/xmlns/libvirt/1.0 one",
                "--connect qemu:///system snapshot-list --name -- one-7",
                "--connect qemu:///system snapshot-delete --metadata -- one-7 snap-0",
                "--connect qemu:///system snapshot-delete --metadata -- one-7 snap-1",
                "--connect qemu:///system migrate --live --auto-converge --auto-converge-initial 20 --auto-converge-increment 10 --compressed -- one-7 qemu+tcp://kvm2/system",
            ]);
        }
        finally
        {
            Directory.Delete(recordings, true);
        }
    }
}
