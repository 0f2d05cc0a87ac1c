using OneKvm.Driver.Actions;
using OneKvm.Driver.Tests.Support;
using OneKvm.Tests;

namespace OneKvm.Driver.Tests.Actions;

/// <summary>
/// Migration on local storage (SHARED=NO). No second host exists here (and a qemu+ssh://localhost
/// migration cannot copy a domain onto itself), so the plan is tested as argument vectors, the disk
/// inspection on real images with the real qemu-img, and the order of the steps with stand-in programs.
/// </summary>
public sealed class LocalMigrationPlanTests : IDisposable
{
    private const string Vm = "/var/lib/one//datastores/0/7";

    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-localmig-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static LocalMigrationPlan Plan(params MigrationDisk[] disks) => LocalMigrationPlan.Build(
        "one-7", "kvm2", "qemu+ssh://kvm2/system", Vm, Vm, disks, [$"{Vm}/ds.xml", $"{Vm}/vm.xml"], ["--unsafe"]);

    private static string[] Ssh(string command) => ["ssh", "--", "kvm2", command];

    [Fact]
    public void Build_SshDatastoreDisks_PlaceholdersPreSyncCopyPostSyncResume()
    {
        var plan = Plan(
            new MigrationDisk("vda", $"{Vm}/disk.0") { Format = "qcow2", VirtualSize = 10737418240 },
            new MigrationDisk("vdb", $"{Vm}/disk.1") { Format = "qcow2", VirtualSize = 1048576, InternalSnapshots = true },
            new MigrationDisk("hda", $"{Vm}/disk.2") { Format = "raw", VirtualSize = 372736, ReadOnly = true },
            new MigrationDisk("vdc", $"{Vm}/disk.3") { Format = "raw", VirtualSize = 2097152, SnapshotDirectory = true });

        plan.Prepare.ShouldBe(
        [
            Ssh($"mkdir -p {Vm}"),
            Ssh($"mkdir -p {Vm}"), Ssh($"qemu-img create -q -f qcow2 {Vm}/disk.0 10737418240"),
            Ssh($"mkdir -p {Vm}"), Ssh($"qemu-img create -q -f qcow2 {Vm}/disk.1 1048576"),
            Ssh($"mkdir -p {Vm}"), Ssh($"qemu-img create -q -f raw {Vm}/disk.3 2097152"),
        ]);
        plan.PreSync.ShouldBe(["rsync", "-az", "--", $"{Vm}/ds.xml", $"{Vm}/vm.xml", $"{Vm}/disk.2", $"{Vm}/disk.3.snap", $"kvm2:{Vm}/"]);
        plan.Migrate.ShouldBe(["migrate", "--live", "--unsafe", "--suspend", "--copy-storage-all", "--migrate-disks", "vda,vdb,vdc", "--", "one-7", "qemu+ssh://kvm2/system"]);
        plan.PostSync.ShouldBe(["rsync", "-az", "--", $"{Vm}/disk.1", $"kvm2:{Vm}/"]);
        plan.Resume.ShouldBe(["resume", "--", "one-7"]);
    }

    [Fact]
    public void Build_Qcow2DatastoreDiskInItsSnapDirectory_SnapDirectorySyncedLinkRecreated()
    {
        var plan = Plan(new MigrationDisk("vda", $"{Vm}/disk.0.snap/1") { Format = "qcow2", VirtualSize = 4096 });

        plan.Prepare.ShouldBe(
        [
            Ssh($"mkdir -p {Vm}"),
            Ssh($"mkdir -p {Vm}/disk.0.snap"), Ssh($"qemu-img create -q -f qcow2 {Vm}/disk.0.snap/1 4096"),
            Ssh($"ln -sfn disk.0.snap/1 {Vm}/disk.0"),
        ]);
        plan.PreSync.ShouldBe(["rsync", "-az", "--", $"{Vm}/ds.xml", $"{Vm}/vm.xml", $"{Vm}/disk.0.snap", $"kvm2:{Vm}/"]);
        plan.Migrate.ShouldContain("vda");
        plan.PostSync.ShouldBeNull();
    }

    [Fact]
    public void Build_Links_NetworkLinkKeptLvmRetargetedNoneCopiedWithoutStorageOptions()
    {
        var network = Plan(new MigrationDisk("vda", $"{Vm}/disk.0") { LinkTarget = "/var/lib/one/datastores/1/9a8b" });
        network.Prepare.ShouldBe([Ssh($"mkdir -p {Vm}"), Ssh($"ln -sfn /var/lib/one/datastores/1/9a8b {Vm}/disk.0")]);
        network.Migrate.ShouldBe(["migrate", "--live", "--unsafe", "--suspend", "--", "one-7", "qemu+ssh://kvm2/system"]);

        var lvm = Plan(new MigrationDisk("vda", $"{Vm}/disk.0") { LinkTarget = "/dev/vg-one-0/lv-one-7-0" });
        lvm.Prepare.ShouldBe([Ssh($"mkdir -p {Vm}"), Ssh($"ln -sfn /dev/vg-one-0/lv-one-7-0 {Vm}/disk.0")]);
        lvm.Migrate.ShouldContain("--migrate-disks");
    }

    [Fact]
    public void Ssh_ArgumentsWithShellCharacters_QuotedForTheRemoteShell()
    {
        LocalMigrationPlan.Ssh("kvm2", ["ln", "-sfn", "/ds/it's here", "/ds/$(reboot)", "a b"])
            .ShouldBe(["ssh", "--", "kvm2", @"ln -sfn '/ds/it'\''s here' '/ds/$(reboot)' 'a b'"]);
        LocalMigrationPlan.ShellQuote("").ShouldBe("''");
    }

    [Fact]
    public void DisksOf_DomainXml_FileAndBlockSourcesWithReadOnly()
    {
        var disks = LocalMigrationPlan.DisksOf("""
            <domain><devices>
              <disk type='file' device='disk'><source file='/ds/0/7/disk.0'/><target dev='vda'/></disk>
              <disk type='block' device='disk'><source dev='/ds/0/7/disk.1'/><target dev='vdb'/></disk>
              <disk type='file' device='cdrom'><source file='/ds/0/7/disk.2'/><target dev='hda'/><readonly/></disk>
              <disk type='file' device='cdrom'><target dev='hdb'/><readonly/></disk>
              <disk type='network' device='disk'><source protocol='rbd' name='one/one-7-3'/><target dev='vdc'/></disk>
            </devices></domain>
            """);
        disks.ShouldBe([("vda", "/ds/0/7/disk.0", false), ("vdb", "/ds/0/7/disk.1", false), ("hda", "/ds/0/7/disk.2", true)]);
    }

    private static void QemuImg(params string[] args)
    {
        var result = OneKvm.Driver.Virsh.ProcessRunner.RunAsync("qemu-img", args).GetAwaiter().GetResult();
        result.ExitCode.ShouldBe(0, result.Stderr);
    }

    [Fact]
    public async Task Inspect_RealImages_FormatSizeSnapshotsLinks()
    {
        var qcow2 = Path.Join(_dir, "disk.0");
        QemuImg("create", "-q", "-f", "qcow2", qcow2, "16M");
        QemuImg("snapshot", "-c", "snap-0", qcow2);
        var raw = Path.Join(_dir, "disk.1");
        QemuImg("create", "-q", "-f", "raw", raw, "1M");
        Directory.CreateDirectory($"{raw}.snap");
        var link = Path.Join(_dir, "disk.2");
        File.CreateSymbolicLink(link, "/var/lib/one/datastores/1/9a8b");

        var a = await LocalMigrationPlan.InspectAsync("vda", qcow2, false, CancellationToken.None);
        a.ShouldBe(new MigrationDisk("vda", qcow2) { Format = "qcow2", VirtualSize = 16 << 20, InternalSnapshots = true });
        var b = await LocalMigrationPlan.InspectAsync("vdb", raw, true, CancellationToken.None);
        b.ShouldBe(new MigrationDisk("vdb", raw) { Format = "raw", VirtualSize = 1 << 20, ReadOnly = true, SnapshotDirectory = true });
        var c = await LocalMigrationPlan.InspectAsync("vdc", link, false, CancellationToken.None);
        c.ShouldBe(new MigrationDisk("vdc", link) { LinkTarget = "/var/lib/one/datastores/1/9a8b" });

        var e = await Should.ThrowAsync<ActionFailedException>(() => LocalMigrationPlan.InspectAsync("vdd", Path.Join(_dir, "gone"), false, CancellationToken.None));
        e.Message.ShouldStartWith($"Cannot inspect disk vdd ({_dir}/gone) for the migration: qemu-img info: ");
    }

    /// <summary>A stand-in ssh / rsync: records its arguments; exits with the status in &lt;name&gt;.exit, if any.</summary>
    private string StandIn(string name, string log)
    {
        var path = Path.Join(_dir, name);
        File.WriteAllText(path, $"#!/bin/bash\nprintf '%s\\n' \"{name} $*\" >>'{log}'\n[[ -e '{_dir}/{name}.exit' ]] && exit $(cat '{_dir}/{name}.exit')\nexit 0\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }

    /// <summary>The installed action run as one_vmm_exec runs it, with the stand-ins in its own environment.</summary>
    private (OneVmmExec One, string Log, string VmDir) Setup(string migrateExit = "0")
    {
        var vmDir = Path.Join(_dir, "datastores", "0", "7");
        Directory.CreateDirectory(vmDir);
        File.WriteAllText(Path.Join(vmDir, "vm.xml"), "<VM/>");
        QemuImg("create", "-q", "-f", "qcow2", Path.Join(vmDir, "disk.0"), "16M");
        var fixtures = Path.Join(_dir, "virsh");
        Directory.CreateDirectory(fixtures);
        File.WriteAllText(Path.Join(fixtures, "metadata.exit"), "1");
        File.WriteAllText(Path.Join(fixtures, "snapshot-list.txt"), "");
        File.WriteAllText(Path.Join(fixtures, "dumpxml__one-7.txt"),
            $"<domain><name>one-7</name><devices><disk type='file' device='disk'><source file='{vmDir}/disk.0'/><target dev='vda'/></disk></devices></domain>");
        File.WriteAllText(Path.Join(fixtures, "migrate.exit"), migrateExit);
        if (migrateExit != "0") File.WriteAllText(Path.Join(fixtures, "migrate.stderr"), "error: operation failed: migration out of disk space\n");
        foreach (var name in new[] { "resume", "destroy", "undefine" }) File.WriteAllText(Path.Join(fixtures, $"{name}.txt"), "");
        var log = Path.Join(_dir, "calls.log");
        var one = new OneVmmExec($"QEMU_PROTOCOL=qemu+tcp\nONEKVM_SSH={StandIn("ssh", log)}\nONEKVM_RSYNC={StandIn("rsync", log)}\n");
        one.Environment["ONEKVM_VIRSH"] = Path.Join(TestPaths.Fixtures, "bin", "virsh");
        one.Environment["ONEKVM_VIRSH_FIXTURE_DIR"] = fixtures;
        one.Environment["ONEKVM_VIRSH_LOG"] = log;
        return (one, log, vmDir);
    }

    private string ActionXml() => $"""
        <VMM_DRIVER_ACTION_DATA><DISK_TARGET_PATH>{_dir}/datastores/0/7</DISK_TARGET_PATH><VM><TEMPLATE/></VM>
        <DATASTORE><BASE_PATH>{_dir}/datastores/0</BASE_PATH><TEMPLATE><SHARED>NO</SHARED></TEMPLATE></DATASTORE></VMM_DRIVER_ACTION_DATA>
        """;

    [Fact]
    public async Task Run_StandIns_StepsInUpstreamsOrder()
    {
        var (one, log, vmDir) = Setup();
        try
        {
            var result = await one.ActionAsync("migrate", ["one-7", "kvm2", "kvm1"], 7, "kvm1", ActionXml());

            result.Line("MIGRATE", 7).ShouldBe("MIGRATE SUCCESS 7 -", result.ToString());
            File.ReadAllLines(log).ShouldBe(
            [
                "--connect qemu:///system metadata -- one-7 http://opennebula.org/xmlns/libvirt/1.0 one",
                "--connect qemu:///system dumpxml -- one-7",
                "--connect qemu:///system snapshot-list --name -- one-7",
                $"ssh -- kvm2 mkdir -p {vmDir}",
                $"ssh -- kvm2 mkdir -p {vmDir}",
                $"ssh -- kvm2 qemu-img create -q -f qcow2 {vmDir}/disk.0 16777216",
                $"rsync -az -- {vmDir}/vm.xml kvm2:{vmDir}/",
                "--connect qemu:///system migrate --live --suspend --copy-storage-all --migrate-disks vda -- one-7 qemu+tcp://kvm2/system",
                "--connect qemu+tcp://kvm2/system resume -- one-7",
            ]);
        }
        finally
        {
            one.Dispose();
        }
    }

    [Fact]
    public async Task Run_MigrationFails_DestinationCleanedReasonReported()
    {
        var (one, log, vmDir) = Setup(migrateExit: "1");
        try
        {
            var result = await one.ActionAsync("migrate", ["one-7", "kvm2", "kvm1"], 7, "kvm1", ActionXml());

            result.Line("MIGRATE", 7).ShouldBe("MIGRATE FAILURE 7 Could not migrate one-7 to kvm2: operation failed: migration out of disk space", result.ToString());
            File.ReadAllLines(log)[^3..].ShouldBe(
            [
                "--connect qemu+tcp://kvm2/system destroy -- one-7",
                "--connect qemu+tcp://kvm2/system undefine -- one-7",
                $"ssh -- kvm2 rm -rf -- {vmDir}",
            ]);
        }
        finally
        {
            one.Dispose();
        }
    }

    [Fact]
    public async Task Run_SameHost_RefusedBeforeAnythingRuns()
    {
        var (one, log, _) = Setup();
        try
        {
            var result = await one.ActionAsync("migrate", ["one-7", "kvm1", "kvm1"], 7, "kvm1", ActionXml());

            result.Result.ShouldBe("FAILURE");
            result.Info.ShouldContain("not supported by OneKvm");
            File.ReadAllLines(log).ShouldBe(["--connect qemu:///system metadata -- one-7 http://opennebula.org/xmlns/libvirt/1.0 one"]);
        }
        finally
        {
            one.Dispose();
        }
    }
}
