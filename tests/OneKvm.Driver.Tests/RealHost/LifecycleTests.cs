using OneKvm.Driver.Tests.Support;
using OneKvm.Tests;

namespace OneKvm.Driver.Tests.RealHost;

/// <summary>The actions against the real libvirtd with real QEMU domains (names one-99xx).</summary>
[Trait(TestTraits.Category, TestTraits.RealHost)]
[Collection(LibvirtGroup.Name)]
public sealed class LifecycleTests
{
    private static async Task<(string Name, string Uuid, DriverRun Run)> DeployAsync(DriverRun run, TestDomainSpec spec)
    {
        TestDomain.Remove(spec.Name);
        var xml = TestDomain.DomainXml(spec, Guid.NewGuid().ToString());
        var file = Path.Join(run.Dir, "deployment.0");
        var (code, stdout, stderr) = await run.RunAsync(xml, "deploy", file, "localhost", "1");
        code.ShouldBe(0, stderr);
        File.ReadAllText(file).ShouldBe(xml);
        return (spec.Name, stdout.Trim(), run);
    }

    [Fact]
    public async Task Deploy_ThenCancel_RunsAndRemovesTransientDomain()
    {
        using var run = new DriverRun();
        try
        {
            var (name, uuid, _) = await DeployAsync(run, new TestDomainSpec { Name = "one-9901", Disks = true, TapNic = true });
            uuid.ShouldBe(TestDomain.Virsh("domuuid", name).Stdout.Trim());
            DomainStates.Of(name).ShouldBe("running");

            var cancel = await run.RunAsync("", "cancel", name, "1", "localhost");
            cancel.ExitCode.ShouldBe(0, cancel.Stderr);
            DomainStates.Of(name).ShouldBe("<undefined>"); // transient: gone once destroyed
        }
        finally
        {
            TestDomain.Remove("one-9901");
        }
    }

    [Fact]
    public async Task Shutdown_GuestIgnoresAcpi_TimesOutOrDestroysAsKvmrcSays()
    {
        // The test domains boot no OS, so nothing answers the ACPI request: the timeout path.
        using var strict = new DriverRun("SHUTDOWN_TIMEOUT=2\nFORCE_DESTROY=no\n");
        using var forcing = new DriverRun("SHUTDOWN_TIMEOUT=2\nexport FORCE_DESTROY=yes\n");
        try
        {
            var (name, _, _) = await DeployAsync(strict, new TestDomainSpec { Name = "one-9902" });
            var failed = await strict.RunAsync("", "shutdown", name, "2", "localhost");
            failed.ExitCode.ShouldBe(1);
            failed.Stderr.ShouldContain($"Timed out shutting down {name}");
            DomainStates.Of(name).ShouldBe("running");

            var destroyed = await forcing.RunAsync("", "shutdown", name, "2", "localhost");
            destroyed.ExitCode.ShouldBe(0, destroyed.Stderr);
            destroyed.Stderr.ShouldContain($"Timeout shutting down {name}. Destroying it");
            DomainStates.Of(name).ShouldBe("<undefined>");

            var again = await forcing.RunAsync("", "shutdown", name, "2", "localhost");
            again.ExitCode.ShouldBe(0, "a domain that is already gone is shut down");
        }
        finally
        {
            TestDomain.Remove("one-9902");
        }
    }

    [Fact]
    public async Task Shutdown_NoAcpiWithCancelNoAcpi_DestroysAtOnce()
    {
        using var run = new DriverRun("SHUTDOWN_TIMEOUT=60\nCANCEL_NO_ACPI=yes\n");
        try
        {
            var (name, _, _) = await DeployAsync(run, new TestDomainSpec { Name = "one-9903", Acpi = false });
            var result = await run.RunAsync("", "shutdown", name);
            result.ExitCode.ShouldBe(0, result.Stderr);
            result.Stderr.ShouldContain("has no ACPI");
            DomainStates.Of(name).ShouldBe("<undefined>");
        }
        finally
        {
            TestDomain.Remove("one-9903");
        }
    }

    [Fact]
    public async Task Snapshots_CreateRevertDelete_OnQcow2Domain()
    {
        using var domain = TestDomain.Start(new TestDomainSpec { Name = "one-9904", Disks = true, RawDisk = false });
        using var run = new DriverRun();
        var created = await run.RunAsync("", "snapshot_create", domain.Name, "3", "4", "localhost");
        created.ExitCode.ShouldBe(0, created.Stderr);
        created.Stdout.Trim().ShouldBe("snap-3");
        TestDomain.Virsh("snapshot-list", domain.Name, "--name").Stdout.ShouldContain("snap-3");

        var reverted = await run.RunAsync("", "snapshot_revert", domain.Name, "snap-3");
        reverted.ExitCode.ShouldBe(0, reverted.Stderr);

        var deleted = await run.RunAsync("", "snapshot_delete", domain.Name, "snap-3");
        deleted.ExitCode.ShouldBe(0, deleted.Stderr);
        TestDomain.Virsh("snapshot-list", domain.Name, "--name").Stdout.ShouldNotContain("snap-3");

        var missing = await run.RunAsync("", "snapshot_delete", domain.Name, "snap-3");
        missing.ExitCode.ShouldBe(1);
        missing.Stderr.ShouldContain($"Could not delete snapshot snap-3 for domain {domain.Name}.: ");
    }

    [Fact]
    public async Task ResetAndReboot_RunningDomain_StaysRunning()
    {
        using var domain = TestDomain.Start(new TestDomainSpec { Name = "one-9905" });
        using var run = new DriverRun();
        (await run.RunAsync("", "reset", domain.Name)).ExitCode.ShouldBe(0);
        DomainStates.Of(domain.Name).ShouldBe("running");
        var gone = await run.RunAsync("", "reset", "one-9999-missing");
        gone.ExitCode.ShouldBe(1);
        gone.Stderr.ShouldContain("Could not reset one-9999-missing");
    }

    [Fact]
    public async Task SaveThenRestore_RunningDomain_ComesBackRunning()
    {
        using var domain = TestDomain.Start(new TestDomainSpec { Name = "one-9906" });
        using var run = new DriverRun();
        var checkpoint = Path.Join(run.Dir, "checkpoint");
        File.WriteAllText(checkpoint, "older checkpoint");

        var saved = await run.RunAsync("", "save", domain.Name, checkpoint, "6", "localhost");
        saved.ExitCode.ShouldBe(0, saved.Stderr);
        DomainStates.Of(domain.Name).ShouldBe("shut off");
        Directory.GetFiles(run.Dir, "checkpoint.*").Count(f => Path.GetFileName(f) != "checkpoint").ShouldBe(1); // the older one kept aside
        new FileInfo(checkpoint).Length.ShouldBeGreaterThan(1024);

        var restored = await run.RunAsync("", "restore", checkpoint, "localhost", domain.Name, "6", "localhost");
        restored.ExitCode.ShouldBe(0, restored.Stderr);
        DomainStates.Of(domain.Name).ShouldBe("running");
        File.Exists(checkpoint).ShouldBeFalse();
    }

    private static string AttachData(string extra = "") => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
        $"<VMM_DRIVER_ACTION_DATA><VM><TEMPLATE><DISK><DISK_ID>0</DISK_ID></DISK><DISK><ATTACH>YES</ATTACH><DRIVER>qcow2</DRIVER>{extra}</DISK></TEMPLATE></VM></VMM_DRIVER_ACTION_DATA>"));

    private static string Blk(string name) => TestDomain.Virsh("domblklist", name).Stdout;

    [Fact]
    public async Task AttachThenDetachDisk_ScsiAndVirtio_HotPlugForReal()
    {
        using var domain = TestDomain.Start(new TestDomainSpec { Name = "one-9907" });
        using var run = new DriverRun("DEFAULT_ATTACH_CACHE=none\nONEKVM_DETACH_TIMEOUT=2\n");
        // Under libvirt's image directory: qemu runs as libvirt-qemu and cannot read a 0700 temp dir.
        var image = $"/var/lib/libvirt/images/onekvm-tests/{domain.Name}-hot1.img";
        var image2 = $"/var/lib/libvirt/images/onekvm-tests/{domain.Name}-hot2.img";
        foreach (var path in new[] { image, image2 })
        {
            using var qemuImg = System.Diagnostics.Process.Start("qemu-img", ["create", "-q", "-f", "qcow2", path, "8M"])!;
            qemuImg.WaitForExit();
        }

        var scsi = await run.RunAsync("", "attach_disk", domain.Name, image, "sdb", "1", AttachData("<TOTAL_IOPS_SEC>100</TOTAL_IOPS_SEC>"), "7", "localhost");
        scsi.ExitCode.ShouldBe(0, scsi.Stderr);
        Blk(domain.Name).ShouldContain(image);
        var live = TestDomain.Virsh("dumpxml", domain.Name).Stdout;
        live.ShouldContain("<total_iops_sec>100</total_iops_sec>");
        live.ShouldContain("cache='none'");

        var virtio = await run.RunAsync("", "attach_disk", domain.Name, image2, "vdc", "2", AttachData(), "7", "localhost");
        virtio.ExitCode.ShouldBe(0, virtio.Stderr);
        Blk(domain.Name).ShouldContain(image2);

        // SCSI unplug needs no guest: it is gone at once.
        var detached = await run.RunAsync("", "detach_disk", domain.Name, image, "sdb", "1");
        detached.ExitCode.ShouldBe(0, detached.Stderr);
        Blk(domain.Name).ShouldNotContain(image);

        // virtio-blk unplug needs the guest OS to release the device; these domains boot none.
        var stuck = await run.RunAsync("", "detach_disk", domain.Name, image2, "vdc", "2");
        stuck.ExitCode.ShouldBe(1);
        stuck.Stderr.ShouldContain("the guest did not release the device");
    }

    [Fact]
    public async Task AttachNic_BridgeAndEthernet_TapsAppearOnTheHost()
    {
        const string bridge = "onekvmbr9908";
        Ip.Run("link", "del", bridge);
        Ip.Run("link", "add", bridge, "type", "bridge").ShouldBe(0);
        try
        {
            using var domain = TestDomain.Start(new TestDomainSpec { Name = "one-9908" });
            using var run = new DriverRun("DEFAULT_ATTACH_NIC_MODEL=e1000\n");
            var bridged = await run.RunAsync("", "attach_nic", domain.Name, "02:00:0a:63:99:08", bridge, "-", "bridge", "one-9908-1");
            bridged.ExitCode.ShouldBe(0, bridged.Stderr);
            var ethernet = await run.RunAsync("", "attach_nic", domain.Name, "02:00:0a:63:99:09", "-", "virtio", "fw", "one-9908-2");
            ethernet.ExitCode.ShouldBe(0, ethernet.Stderr);

            var interfaces = TestDomain.Virsh("domiflist", domain.Name).Stdout;
            interfaces.ShouldContain("02:00:0a:63:99:08");
            interfaces.ShouldContain("e1000"); // kvmrc default model
            interfaces.ShouldContain("02:00:0a:63:99:09");
            Directory.Exists($"/sys/class/net/{bridge}/brif/one-9908-1").ShouldBeTrue("the tap is enslaved to the bridge");
            Directory.Exists("/sys/class/net/one-9908-2").ShouldBeTrue("the ethernet tap exists");

            // PCI unplug needs the guest OS to release the device; these domains boot none.
            using var quick = new DriverRun("VIRSH_RETRIES=1\n");
            var stuck = await quick.RunAsync("", "detach_nic", domain.Name, "02:00:0a:63:99:08");
            stuck.ExitCode.ShouldBe(1);
            stuck.Stderr.ShouldContain("the guest did not release the device");
            (await quick.RunAsync("", "detach_nic", domain.Name, "02:00:0a:ff:ff:ff")).ExitCode.ShouldBe(0, "an absent MAC is already detached");
        }
        finally
        {
            Ip.Run("link", "del", bridge);
        }
    }
}
