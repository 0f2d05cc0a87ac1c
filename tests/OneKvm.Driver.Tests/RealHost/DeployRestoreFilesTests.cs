using System.Diagnostics;
using System.Globalization;
using OneKvm.Driver.Tests.Support;
using OneKvm.Tests;

namespace OneKvm.Driver.Tests.RealHost;

/// <summary>
/// Deploy's disk-link resolution and NVRAM creation, and restore's datastore path rewrite, as
/// one_vmm_exec drives them (installed action files) against the real libvirtd; domains one-9950..one-9952.
/// The VM directories live under libvirt's image directory, where QEMU (running as libvirt-qemu) can reach them.
/// </summary>
[Trait(TestTraits.Category, TestTraits.RealHost)]
[Collection(LibvirtGroup.Name)]
public sealed class DeployRestoreFilesTests
{
    private const string ImageDir = "/var/lib/libvirt/images/onekvm-tests";

    /// <summary>A fresh <c>&lt;base&gt;/datastores/&lt;ds&gt;/&lt;vm&gt;</c>; the whole base goes with <see cref="Clean"/>.</summary>
    private static string VmDirectory(int vm, int datastore)
    {
        var dir = Path.Join(Base(vm), "datastores", datastore.ToString(CultureInfo.InvariantCulture), vm.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string Base(int vm) => Path.Join(ImageDir, $"one-{vm}.d");

    private static void Clean(int vm)
    {
        TestDomain.Remove($"one-{vm}");
        if (Directory.Exists(Base(vm))) Directory.Delete(Base(vm), recursive: true);
    }

    private static void QemuImg(params string[] args)
    {
        var psi = new ProcessStartInfo("qemu-img") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.WaitForExit(60_000).ShouldBeTrue();
        p.ExitCode.ShouldBe(0, p.StandardError.ReadToEnd());
    }

    private static string Xml(int vm, string vmDir, string disk = "", string? os = null, int memoryMiB = 64)
    {
        var xml = TestDomain.DomainXml(new TestDomainSpec
        {
            Name = $"one-{vm}", OneVmName = $"vm{vm}", SystemDatastore = vmDir, MemoryMiB = memoryMiB,
        }, Guid.NewGuid().ToString());
        if (os is not null) xml = xml.Replace("<os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>", os, StringComparison.Ordinal);
        return xml.Replace("    <graphics", disk + "    <graphics", StringComparison.Ordinal);
    }

    private static string FileDisk(string path) =>
        $"    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{path}'/><target dev='vda' bus='virtio'/></disk>\n";

    [Fact]
    public async Task Deploy_DiskIsADiskNSymlink_DomainAndDeploymentFileUseTheImagePath()
    {
        const int vm = 9950;
        Clean(vm);
        try
        {
            using var one = new OneVmmExec();
            var dir = VmDirectory(vm, 0);
            var image = Path.Join(Base(vm), "datastores", "1", "5d8e1b0c");
            Directory.CreateDirectory(Path.GetDirectoryName(image)!);
            QemuImg("create", "-q", "-f", "qcow2", image, "16M");
            var link = Path.Join(dir, "disk.0");
            File.CreateSymbolicLink(link, image); // what a TM driver's ln leaves for a persistent image
            var deployment = Path.Join(dir, "deployment.0");

            var answer = await one.ActionAsync("deploy", [deployment], vm, stdin: Xml(vm, dir, FileDisk(link)));

            answer.Success.ShouldBeTrue(answer.ToString());
            answer.Logs.ShouldContain($"LOG I -1 deploy: disk source {link} -> {image}");
            var live = TestDomain.Virsh("dumpxml", $"one-{vm}").Stdout;
            live.ShouldContain($"<source file='{image}'");
            live.ShouldNotContain(link);
            var written = File.ReadAllText(deployment);
            written.ShouldContain($"<source file=\"{image}\" />");
            written.ShouldNotContain("disk.0");
        }
        finally
        {
            Clean(vm);
        }
    }

    [Fact]
    public async Task Deploy_UefiWithMissingNvram_CreatedFromOvmfNvramAndBoots()
    {
        const string code = "/usr/share/OVMF/OVMF_CODE.fd";
        const string template = "/usr/share/OVMF/OVMF_VARS.fd";
        File.Exists(code).ShouldBeTrue("OVMF is installed by scripts/install-test-deps.sh (Debian package ovmf)");
        const int vm = 9951;
        Clean(vm);
        try
        {
            using var one = new OneVmmExec($"OVMF_NVRAM=\"{template}\"\n");
            var dir = VmDirectory(vm, 0);
            var nvram = Path.Join(dir, $"one-{vm}_VARS.fd");
            var os = $"<os><type arch='x86_64' machine='pc'>hvm</type><loader readonly='yes' type='pflash'>{code}</loader><nvram>{nvram}</nvram></os>";

            var answer = await one.ActionAsync("deploy", [Path.Join(dir, "deployment.0")], vm, stdin: Xml(vm, dir, os: os, memoryMiB: 128));

            answer.Success.ShouldBeTrue(answer.ToString());
            answer.Logs.ShouldContain($"LOG I -1 deploy: NVRAM {nvram} created from {template}");
            new FileInfo(nvram).Length.ShouldBe(new FileInfo(template).Length);
            var live = TestDomain.Virsh("dumpxml", $"one-{vm}").Stdout;
            live.ShouldContain($"<nvram>{nvram}</nvram>");
            live.ShouldContain($">{code}</loader>");
            await Task.Delay(TimeSpan.FromSeconds(3));
            DomainStates.Of($"one-{vm}").ShouldBe("running"); // the firmware runs under TCG, QEMU did not stop on the flash
        }
        finally
        {
            Clean(vm);
        }
    }

    [Fact]
    public async Task SaveThenRestoreFromAnotherSystemDatastore_PathsRewritten()
    {
        const int vm = 9952;
        Clean(vm);
        try
        {
            using var one = new OneVmmExec();
            var before = VmDirectory(vm, 0);
            var disk = Path.Join(before, "disk.0");
            QemuImg("create", "-q", "-f", "qcow2", disk, "16M");
            var xml = Xml(vm, before, FileDisk(disk)).Replace("<graphics type='vnc'", "<graphics type='vnc' passwd='s3cr3t'", StringComparison.Ordinal);
            var answer = await one.ActionAsync("deploy", [Path.Join(before, "deployment.0")], vm, stdin: xml);
            answer.Success.ShouldBeTrue(answer.ToString());
            var uuid = answer.Info;
            var saved = await one.ActionAsync("save", [uuid, Path.Join(before, "checkpoint")], vm);
            saved.Success.ShouldBeTrue(saved.ToString());

            // The system datastore changed while the VM was saved: TM moved the VM directory to datastore 1.
            var after = Path.Join(Base(vm), "datastores", "1", vm.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(Path.GetDirectoryName(after)!);
            Directory.Move(before, after);
            var checkpoint = Path.Join(after, "checkpoint");

            var restored = await one.ActionAsync("restore", [checkpoint, "localhost", uuid], vm);

            restored.Line("RESTORE", vm).ShouldBe($"RESTORE SUCCESS {vm} -", restored.ToString());
            DomainStates.Of($"one-{vm}").ShouldBe("running");
            var live = TestDomain.Virsh("dumpxml", $"one-{vm}").Stdout;
            live.ShouldContain($"<source file='{Path.Join(after, "disk.0")}'");
            live.ShouldContain($"<one:system_datastore>{after}</one:system_datastore>");
            live.ShouldNotContain(before);
            TestDomain.Virsh("dumpxml", "--security-info", $"one-{vm}").Stdout.ShouldContain("passwd='s3cr3t'"); // the VNC password survives
            File.Exists(checkpoint).ShouldBeFalse();
            File.Exists($"{checkpoint}.xml").ShouldBeFalse();
        }
        finally
        {
            Clean(vm);
        }
    }

    [Fact]
    public async Task Restore_CheckpointNotASaveImage_FailsWithLibvirtsReason()
    {
        const int vm = 9953;
        Clean(vm);
        try
        {
            using var one = new OneVmmExec();
            var dir = VmDirectory(vm, 0);
            var checkpoint = Path.Join(dir, "checkpoint");
            File.WriteAllBytes(checkpoint, new byte[4096]);

            var restored = await one.ActionAsync("restore", [checkpoint, "localhost", $"one-{vm}"], vm);

            restored.Result.ShouldBe("FAILURE");
            restored.Info.ShouldStartWith($"Could not recalculate paths in {checkpoint}.xml: ");
            restored.Info.ShouldContain("image magic is incorrect");
            File.Exists(checkpoint).ShouldBeTrue("a failed restore keeps the checkpoint");
            File.Exists($"{checkpoint}.xml").ShouldBeFalse();
        }
        finally
        {
            Clean(vm);
        }
    }
}
