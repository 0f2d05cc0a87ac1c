using System.Globalization;
using OneKvm.Driver.Tests.Support;
using OneKvm.Tests;

namespace OneKvm.Driver.Tests.RealHost;

/// <summary>
/// Every action as one_vmm_exec drives it (installed action files, upstream argument lists, action XML
/// on stdin, what oned receives), against the real libvirtd with QEMU domains one-9910..one-9929.
/// </summary>
[Trait(TestTraits.Category, TestTraits.RealHost)]
[Collection(LibvirtGroup.Name)]
public sealed class OneVmmExecTests
{
    private const string ImageDir = "/var/lib/libvirt/images/onekvm-tests";

    /// <summary>A VM directory as the system datastore has it; the deployment file goes there.</summary>
    private static string VmDirectory(OneVmmExec one, int vmId)
    {
        var dir = Path.Join(one.Root, "datastores", "0", vmId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string Spec(int vmId, string vmDir, bool disks = true, bool agent = false) =>
        TestDomain.DomainXml(new TestDomainSpec
        {
            Name = $"one-{vmId}", Disks = disks, RawDisk = false, OneVmName = $"vm{vmId}", SystemDatastore = vmDir, GuestAgent = agent,
        }, Guid.NewGuid().ToString());

    private static async Task<string> DeployAsync(OneVmmExec one, int vmId, string xml, string vmDir)
    {
        var deployment = Path.Join(vmDir, "deployment.0");
        var answer = await one.ActionAsync("deploy", [deployment], vmId, stdin: xml);
        answer.Success.ShouldBeTrue(answer.ToString());
        answer.Info.ShouldBe(TestDomain.Virsh("domuuid", $"one-{vmId}").Stdout.Trim()); // DEPLOY_ID is the UUID
        return answer.Info;
    }

    private static string Iso(string name)
    {
        Directory.CreateDirectory(ImageDir);
        var path = Path.Join(ImageDir, $"{name}-{Guid.NewGuid():N}.iso");
        File.WriteAllBytes(path, new byte[64 * 1024]);
        return path;
    }

    [Fact]
    public async Task Deploy_LibvirtRejectsTheXml_OnedGetsLibvirtsReason()
    {
        using var one = new OneVmmExec();
        TestDomain.Remove("one-9910");
        var dir = VmDirectory(one, 9910);
        var xml = Spec(9910, dir, disks: false).Replace("/usr/bin/qemu-system-x86_64", "/usr/bin/onekvm-no-such-qemu", StringComparison.Ordinal);
        var answer = await one.ActionAsync("deploy", [Path.Join(dir, "deployment.0")], 9910, stdin: xml);

        answer.Result.ShouldBe("FAILURE");
        answer.ExitCode.ShouldBe(255); // upstream: exit -1
        answer.Info.ShouldStartWith($"Could not create domain from {Path.Join(dir, "deployment.0")}: ");
        answer.Info.ShouldContain("/usr/bin/onekvm-no-such-qemu"); // libvirt's own reason
        answer.Logs.ShouldContain(l => l.StartsWith("LOG E -1 deploy: Command \"virsh --connect qemu:///system create -- ", StringComparison.Ordinal));
        answer.Stderr.ShouldNotContain("   at ");
        DomainStates.Of("one-9910").ShouldBe("<undefined>");
    }

    [Fact]
    public async Task SystemSnapshot_KeptAcrossPoweroff_RevertedAfterRedeploy()
    {
        using var one = new OneVmmExec("SHUTDOWN_TIMEOUT=2\nFORCE_DESTROY=yes\n");
        const int vm = 9911;
        TestDomain.Remove($"one-{vm}");
        try
        {
            var dir = VmDirectory(one, vm);
            var xml = Spec(vm, dir);
            var uuid = await DeployAsync(one, vm, xml, dir);

            var created = await one.ActionAsync("snapshot_create", [uuid, "0"], vm);
            created.Line("SNAPSHOTCREATE", vm).ShouldBe($"SNAPSHOTCREATE SUCCESS {vm} snap-0", created.ToString());
            File.Exists(Path.Join(dir, "snap-0.xml")).ShouldBeTrue("snap-0.xml kept in the VM directory as upstream");

            // POWEROFF: shutdown (the guest has no OS, so the timeout destroys it); the transient domain and its snapshot metadata go.
            var off = await one.ActionAsync("shutdown", [uuid], vm);
            off.Line("SHUTDOWN", vm).ShouldBe($"SHUTDOWN SUCCESS {vm} -", off.ToString());
            DomainStates.Of($"one-{vm}").ShouldBe("<undefined>");

            // RESUME: deploy again from the same VM directory; the snapshot is redefined.
            var again = await DeployAsync(one, vm, xml, dir);
            TestDomain.Virsh("snapshot-list", $"one-{vm}", "--name").Stdout.ShouldContain("snap-0");

            var reverted = await one.ActionAsync("snapshot_revert", [again, "snap-0"], vm);
            reverted.Line("SNAPSHOTREVERT", vm).ShouldBe($"SNAPSHOTREVERT SUCCESS {vm} -", reverted.ToString());
            DomainStates.Of($"one-{vm}").ShouldBe("running");

            var deleted = await one.ActionAsync("snapshot_delete", [again, "snap-0"], vm);
            deleted.Success.ShouldBeTrue(deleted.ToString());
            File.Exists(Path.Join(dir, "snap-0.xml")).ShouldBeFalse();

            var missing = await one.ActionAsync("snapshot_delete", [again, "snap-0"], vm);
            missing.Result.ShouldBe("FAILURE");
            missing.Info.ShouldStartWith($"Could not delete snapshot snap-0 for domain {again}.: ");
            missing.Info.ShouldContain("snap-0"); // libvirt: Domain snapshot not found: no domain snapshot with matching name 'snap-0'

            var cancel = await one.ActionAsync("cancel", [again], vm);
            cancel.Line("CANCEL", vm).ShouldBe($"CANCEL SUCCESS {vm} -", cancel.ToString());
        }
        finally
        {
            TestDomain.Remove($"one-{vm}");
        }
    }

    [Fact]
    public async Task SaveRestoreRebootReset_AnswerSuccess()
    {
        using var one = new OneVmmExec();
        const int vm = 9912;
        TestDomain.Remove($"one-{vm}");
        try
        {
            var dir = VmDirectory(one, vm);
            var uuid = await DeployAsync(one, vm, Spec(vm, dir, disks: false), dir);
            (await one.ActionAsync("reboot", [uuid], vm)).Line("REBOOT", vm).ShouldBe($"REBOOT SUCCESS {vm} -");
            (await one.ActionAsync("reset", [uuid], vm)).Line("RESET", vm).ShouldBe($"RESET SUCCESS {vm} -");

            var checkpoint = Path.Join(dir, "checkpoint");
            var saved = await one.ActionAsync("save", [uuid, checkpoint], vm);
            saved.Line("SAVE", vm).ShouldBe($"SAVE SUCCESS {vm} -", saved.ToString());
            DomainStates.Of($"one-{vm}").ShouldBe("<undefined>");

            var restored = await one.ActionAsync("restore", [checkpoint, "localhost", uuid], vm);
            restored.Line("RESTORE", vm).ShouldBe($"RESTORE SUCCESS {vm} -", restored.ToString());
            DomainStates.Of($"one-{vm}").ShouldBe("running");
            File.Exists(checkpoint).ShouldBeFalse();

            var gone = await one.ActionAsync("reboot", ["one-9929"], 9929);
            gone.Result.ShouldBe("FAILURE");
            gone.Info.ShouldBe("Could not reboot one-9929: failed to get domain 'one-9929'");
        }
        finally
        {
            TestDomain.Remove($"one-{vm}");
        }
    }

    [Fact]
    public async Task AttachNic_ThenPrereconfigureReconfigure_RefreshesTheContextCd()
    {
        const string bridge = "onekvmbr9913";
        const int vm = 9913;
        Ip.Run("link", "del", bridge);
        Ip.Run("link", "add", bridge, "type", "bridge").ShouldBe(0);
        using var one = new OneVmmExec("DEFAULT_ATTACH_NIC_MODEL=virtio\nVIRSH_RETRIES=1\n");
        TestDomain.Remove($"one-{vm}");
        try
        {
            var dir = VmDirectory(one, vm);
            var context = Iso($"one-{vm}");
            var refreshed = Iso($"one-{vm}");
            var xml = Spec(vm, dir, disks: false).Replace("    <graphics",
                $"    <disk type='file' device='cdrom'><driver name='qemu' type='raw'/><source file='{context}'/><target dev='hda' bus='ide'/><readonly/></disk>\n    <graphics",
                StringComparison.Ordinal);
            var uuid = await DeployAsync(one, vm, xml, dir);
            var template = $"<VCPU>1</VCPU><CONTEXT><TARGET>hda</TARGET></CONTEXT><NIC><NIC_ID>1</NIC_ID><ATTACH>YES</ATTACH><BRIDGE>{bridge}</BRIDGE>"
                + "<MAC>02:00:0a:63:99:13</MAC><TARGET>one-9913-1</TARGET><VN_MAD>bridge</VN_MAD></NIC>";
            var action = ActionData.Xml(uuid, template);

            // ATTACHNIC: attach_nic, then prereconfigure, (tm_context), reconfigure — all with the action XML on stdin.
            var attached = await one.ActionAsync("attach_nic", [uuid, "02:00:0a:63:99:13", bridge, "-", "bridge", "one-9913-1"], vm, stdin: action);
            attached.Line("ATTACHNIC", vm).ShouldBe($"ATTACHNIC SUCCESS {vm} -", attached.ToString());
            Directory.Exists($"/sys/class/net/{bridge}/brif/one-9913-1").ShouldBeTrue("the tap is enslaved to the bridge");

            var ejected = await one.ActionAsync("prereconfigure", [uuid, "hda"], vm, stdin: action);
            ejected.Success.ShouldBeTrue(ejected.ToString());
            TestDomain.Virsh("domblklist", $"one-{vm}").Stdout.ShouldNotContain(context);

            var ejectedAgain = await one.ActionAsync("prereconfigure", [uuid, "hda"], vm, stdin: action);
            ejectedAgain.Success.ShouldBeTrue("an empty CD-ROM is already ejected");
            ejectedAgain.Logs.ShouldContain($"LOG D -1 prereconfigure: CDROM already ejected");

            var inserted = await one.ActionAsync("reconfigure", [uuid, "hda", refreshed], vm, stdin: action);
            inserted.Success.ShouldBeTrue(inserted.ToString());
            TestDomain.Virsh("domblklist", $"one-{vm}").Stdout.ShouldContain(refreshed);

            // DETACHNIC: PCI unplug needs the guest OS to release the device, and these domains boot none.
            var detached = await one.ActionAsync("detach_nic", [uuid, "02:00:0a:63:99:13"], vm, stdin: action);
            detached.Result.ShouldBe("FAILURE");
            detached.Info.ShouldBe($"Could not detach NIC 02:00:0a:63:99:13 from {uuid}: the guest did not release the device");

            // A PCI passthrough NIC is refused, not attached as virtio.
            var pci = ActionData.Xml(uuid, "<PCI><ATTACH>YES</ATTACH><TYPE>NIC</TYPE><MAC>02:00:0a:63:99:14</MAC><SHORT_ADDRESS>00:1f.6</SHORT_ADDRESS></PCI>");
            var refused = await one.ActionAsync("attach_nic", [uuid, "02:00:0a:63:99:14", "-", "-", "-", "-"], vm, stdin: pci);
            refused.Result.ShouldBe("FAILURE");
            refused.Info.ShouldContain("PCI passthrough NIC");
            TestDomain.Virsh("domiflist", $"one-{vm}").Stdout.ShouldNotContain("02:00:0a:63:99:14");
        }
        finally
        {
            TestDomain.Remove($"one-{vm}");
            Ip.Run("link", "del", bridge);
        }
    }

    [Fact]
    public async Task AttachCdrom_SdTarget_HotPlugsOnScsiWithoutATemporaryFile()
    {
        const int vm = 9914;
        using var one = new OneVmmExec();
        var tmp = Directory.CreateTempSubdirectory("onekvm-tmpdir-").FullName;
        TestDomain.Remove($"one-{vm}");
        try
        {
            var dir = VmDirectory(one, vm);
            var uuid = await DeployAsync(one, vm, Spec(vm, dir), dir);
            var iso = Iso($"one-{vm}");
            var action = ActionData.Base64(ActionData.Xml(uuid,
                "<DISK><DISK_ID>0</DISK_ID></DISK><DISK><DISK_ID>3</DISK_ID><ATTACH>YES</ATTACH><TYPE>CDROM</TYPE><READONLY>YES</READONLY></DISK>"));
            one.Environment["TMPDIR"] = tmp;

            var answer = await one.ActionAsync("attach_disk", [uuid, iso, "sdc", "3", action], vm);

            answer.Line("ATTACHDISK", vm).ShouldBe($"ATTACHDISK SUCCESS {vm} -", answer.ToString());
            var live = TestDomain.Virsh("dumpxml", $"one-{vm}").Stdout;
            live.ShouldContain("device='cdrom'");
            live.ShouldContain("<target dev='sdc' bus='scsi'/>");
            live.ShouldContain(iso);
            Directory.GetFileSystemEntries(tmp).ShouldBeEmpty("the disk XML goes to virsh on stdin");

            var detached = await one.ActionAsync("detach_disk", [uuid, iso, "sdc", "3"], vm);
            detached.Line("DETACHDISK", vm).ShouldBe($"DETACHDISK SUCCESS {vm} -", detached.ToString());
        }
        finally
        {
            TestDomain.Remove($"one-{vm}");
            Directory.Delete(tmp, true);
        }
    }

    [Fact]
    public async Task ResizeAndResizeDisk_LiveOnTheDomain()
    {
        const int vm = 9915;
        using var one = new OneVmmExec();
        TestDomain.Remove($"one-{vm}");
        try
        {
            var dir = VmDirectory(one, vm);
            var xml = Spec(vm, dir).Replace("<vcpu>1</vcpu>", "<vcpu placement='static' current='1'>2</vcpu>", StringComparison.Ordinal);
            var uuid = await DeployAsync(one, vm, xml, dir);

            var resize = ActionData.Xml(uuid, "<MEMORY>48</MEMORY><VCPU>2</VCPU><RESIZE><MEMORY>64</MEMORY><VCPU>1</VCPU></RESIZE>");
            var resized = await one.ActionAsync("resize", [uuid], vm, stdin: resize);
            resized.Line("RESIZE", vm).ShouldBe($"RESIZE SUCCESS {vm} -", resized.ToString());
            // The balloon target was accepted (a guest without OS never gives the memory back, so the
            // live size is not observable here); the VCPU was hot-plugged.
            TestDomain.Virsh("vcpucount", $"one-{vm}", "--live", "--active").Stdout.Trim().ShouldBe("2");

            var tooMuch = ActionData.Xml(uuid, "<MEMORY>128</MEMORY><RESIZE><MEMORY>48</MEMORY></RESIZE>");
            var above = await one.ActionAsync("resize", [uuid], vm, stdin: tooMuch);
            above.Result.ShouldBe("FAILURE");
            above.Info.ShouldStartWith($"Could not resize memory of {uuid} to 128 MiB: ");
            above.Info.ShouldContain("max memory"); // libvirt: cannot set memory higher than max memory

            var tooMany = ActionData.Xml(uuid, "<VCPU>8</VCPU><RESIZE><VCPU>2</VCPU></RESIZE>");
            var refused = await one.ActionAsync("resize", [uuid], vm, stdin: tooMany);
            refused.Result.ShouldBe("FAILURE");
            refused.Info.ShouldStartWith($"Failed to resize VCPU to 8 on {uuid}: ");
            refused.Info.ShouldContain("vcpu"); // libvirt's reason (more than the maximum)

            var disks = ActionData.Base64(ActionData.Xml(uuid, "<DISK><DISK_ID>0</DISK_ID><TARGET>vda</TARGET><SIZE>16</SIZE></DISK>"));
            var grown = await one.ActionAsync("resize_disk", [uuid, "0", "32", disks], vm);
            grown.Line("RESIZEDISK", vm).ShouldBe($"RESIZEDISK SUCCESS {vm} -", grown.ToString());
            TestDomain.Virsh("domblkinfo", $"one-{vm}", "vda").Stdout.ShouldContain("Capacity:       33554432");
        }
        finally
        {
            TestDomain.Remove($"one-{vm}");
        }
    }

    [Fact]
    public async Task Exec_GuestAgentNotAnswering_FailsWithLibvirtsReason()
    {
        const int vm = 9916;
        using var one = new OneVmmExec();
        var state = Path.Join(one.Root, "run");
        File.AppendAllText(one.Kvmrc, $"ONEKVM_EXEC_DIR={state}\n");
        TestDomain.Remove($"one-{vm}");
        try
        {
            var dir = VmDirectory(one, vm);
            await DeployAsync(one, vm, Spec(vm, dir, disks: false, agent: true), dir);
            // EXEC: "exec <id> <host> <Shellwords.escape(cmd)> <stdin>", no extra parameters.
            var answer = await one.RawAsync("exec", $"{vm} localhost ls\\ -l\\ /tmp aGVsbG8=");
            answer.Result.ShouldBe("FAILURE");
            answer.Info.ShouldStartWith("Error executing the command: ");
            answer.Info.ShouldContain("agent"); // libvirt: QEMU guest agent is not connected
            File.Exists(Path.Join(state, $"one-{vm}")).ShouldBeFalse();

            var cancel = await one.ActionAsync("exec_cancel", [], vm);
            cancel.Line("EXEC_CANCEL", vm).ShouldBe($"EXEC_CANCEL SUCCESS {vm} -", "nothing running is nothing to cancel");
        }
        finally
        {
            TestDomain.Remove($"one-{vm}");
        }
    }

    [Fact]
    public async Task Deploy_DeploymentFileIsASymlink_ReplacedNotFollowed()
    {
        const int vm = 9917;
        using var one = new OneVmmExec();
        TestDomain.Remove($"one-{vm}");
        try
        {
            var dir = VmDirectory(one, vm);
            var victim = Path.Join(one.Root, "root-owned-file");
            File.WriteAllText(victim, "precious");
            var deployment = Path.Join(dir, "deployment.0");
            File.CreateSymbolicLink(deployment, victim);

            var answer = await one.ActionAsync("deploy", [deployment], vm, stdin: Spec(vm, dir, disks: false));

            answer.Success.ShouldBeTrue(answer.ToString());
            File.ReadAllText(victim).ShouldBe("precious");
            new FileInfo(deployment).LinkTarget.ShouldBeNull();
        }
        finally
        {
            TestDomain.Remove($"one-{vm}");
        }
    }

    [Fact]
    public async Task FileSystemErrors_OneLineNoStackTrace()
    {
        using var one = new OneVmmExec();
        var file = Path.Join(one.Root, "a-file");
        File.WriteAllText(file, "");
        var deploy = await one.ActionAsync("deploy", [Path.Join(file, "42", "deployment.0")], 9918, stdin: Spec(9918, one.Root, disks: false));
        deploy.Result.ShouldBe("FAILURE");
        deploy.Info.ShouldStartWith($"Could not write deployment file {Path.Join(file, "42", "deployment.0")}: ");
        deploy.Stderr.ShouldNotContain("   at ");

        var slash = await one.ActionAsync("save", ["one-1/../x", "/tmp/x"], 9918);
        slash.Result.ShouldBe("FAILURE");
        slash.Info.ShouldBe("invalid domain name 'one-1/../x'");
        DomainStates.Of("one-9918").ShouldBe("<undefined>");
    }
}
