using OneKvm.Cgroups;
using OneKvm.Probes.Vm.Disks;

namespace OneKvm.Probes.Tests.Vm.Disks;

/// <summary>The snapshot MONITOR_VM category over an ssh datastore; the TM script is a real stand-in process.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SnapshotRecoveryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("onekvm-recovery-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private HostPaths Paths => HostPaths.UnderRoot(_root);

    private void Script(string body)
    {
        var script = Path.Join(Paths.Remotes, "tm", "ssh", "recovery_snap_create_live");
        Directory.CreateDirectory(Path.GetDirectoryName(script)!);
        File.WriteAllText(script, "#!/bin/sh\n" + body);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private void Vm(int ds, int vm, string driver, string freq, string replica, params int[] disksWithChain)
    {
        var dsDir = Path.Join(Paths.DatastoreLocation, $"{ds}");
        var vmDir = Path.Join(dsDir, $"{vm}");
        Directory.CreateDirectory(vmDir);
        File.WriteAllText(Path.Join(dsDir, ".monitor"), driver + "\n");
        var disks = string.Concat(disksWithChain.Select(d => $"<DISK><DISK_ID>{d}</DISK_ID><RECOVERY_SNAPSHOT_FREQ>{freq}</RECOVERY_SNAPSHOT_FREQ></DISK>"));
        File.WriteAllText(Path.Join(vmDir, "vm.xml"), $"<VM><ID>{vm}</ID><TEMPLATE>{disks}</TEMPLATE></VM>");
        File.WriteAllText(Path.Join(vmDir, "ds.xml"), $"<DATASTORE><TEMPLATE><REPLICA_HOST>{replica}</REPLICA_HOST></TEMPLATE></DATASTORE>");
        foreach (var d in disksWithChain)
        {
            File.WriteAllText(Path.Join(vmDir, $"disk.{d}"), "");
            Directory.CreateDirectory(Path.Join(vmDir, $"disk.{d}.snap"));
            File.WriteAllText(Path.Join(vmDir, $"disk.{d}.snap", "base.1"), "");
        }

    }

    private static string Decode(string line)
    {
        var start = line.IndexOf("MONITOR=\"", StringComparison.Ordinal) + 9;
        return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(line[start..line.LastIndexOf('"')]));
    }

    [Fact]
    public async Task Runs_the_script_per_disk_and_reports_timestamps_and_errors()
    {
        Script("[ \"$2\" = \"${2%disk.1}disk.1\" ] && { echo 'replica unreachable'; exit 1; }\necho \"1700000000 $1 $3 $4\"\n");
        Vm(0, 42, "ssh", "3600", "replica1", 0, 1);
        var lines = await SnapshotRecovery.CollectAsync(Paths, TimeSpan.FromSeconds(10), CancellationToken.None);
        var line = lines.TrimEnd('\n').Split('\n').ShouldHaveSingleItem();
        line.ShouldStartWith("VM = [ ID=\"42\", MONITOR=\"");
        Decode(line).ShouldBe(
            "DISK_RECOVERY_SNAPSHOT = [ ID=0, TIMESTAMP=\"1700000000 42 3600 replica1\" ]\n" +
            "DISK_RECOVERY_SNAPSHOT = [ ID=1, MSG=\"ERROR replica unreachable\" ]");
    }

    [Fact]
    public async Task Only_ssh_datastores_with_frequency_and_replica_are_read()
    {
        Script("echo 1\n");
        Vm(1, 1, "qcow2", "3600", "r", 0);
        Vm(2, 2, "ssh", "", "r", 0);
        Vm(3, 3, "ssh", "60", "", 0);
        (await SnapshotRecovery.CollectAsync(Paths, TimeSpan.FromSeconds(10), CancellationToken.None)).ShouldBeEmpty();
    }
}
