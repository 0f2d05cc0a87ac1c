using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using OneKvm.Cgroups.Layout;
using OneKvm.Cgroups.Proc;
using OneKvm.Cgroups.Vm;
using OneKvm.Tests;

namespace OneKvm.Cgroups.Tests.RealHost;

/// <summary>The kernel-side library against this host's real cgroups and a real QEMU domain (v1 and v2 CPU modes).</summary>
[Trait(TestTraits.Category, TestTraits.RealHost)]
[Collection(LibvirtGroup.Name)]
public sealed class RealHostCgroupTests
{
    [Fact]
    public void Detect_FindsTheCpuController()
    {
        var layout = CgroupLayout.Detect(HostPaths.Default);
        var cpu = layout.Cpu.ShouldNotBeNull("this host mounts no cpu controller");
        if (cpu.Version == CgroupVersion.V1)
            File.Exists(Path.Join(cpu.MountPoint, "cpu.shares")).ShouldBeTrue();
        else
            File.ReadAllText(Path.Join(cpu.MountPoint, "cgroup.controllers")).Split(' ', '\n').ShouldContain("cpu");
        if (layout.V2 is { } v2)
            layout.LibvirtUsesV2.ShouldBe(File.ReadAllText(Path.Join(v2.MountPoint, "cgroup.controllers")).Trim().Length > 0);
    }

    [Fact]
    public void RealDomain_IsFoundByPidAndByMachineName_AndItsSharesAreRead()
    {
        using var domain = TestDomain.Start(new TestDomainSpec { Name = "one-9410", Vcpus = 2, Shares = 512 });
        var paths = HostPaths.Default;
        var layout = CgroupLayout.Detect(paths);

        var pid = VmCgroupLocator.ReadQemuPid(paths, domain.Name).ShouldNotBeNull("libvirt wrote no pid file");
        var entries = ProcCgroupParser.Read(paths, pid).ShouldNotBeNull();
        entries.ShouldContain(e => e.IsV2);
        var byPid = VmCgroupLocator.Locate(paths, layout, domain.Name, null).ShouldNotBeNull();
        byPid.FoundBy.ShouldBe("pid");

        var id = int.Parse(TestDomain.Virsh("domid", domain.Name).Stdout.Trim(), CultureInfo.InvariantCulture);
        var byName = VmCgroupLocator.FromMachineName(layout, id, domain.Name).ShouldNotBeNull();
        byName.Cpu.ShouldBe(byPid.Cpu);

        var time = new FakeTimeProvider();
        var sample = VmCgroupReader.Read(byPid, time);
        sample.AppliedShares.ShouldBe(512); // libvirt writes <shares> unchanged to cpu.shares or cpu.weight
        sample.SharesVersion.ShouldBe(layout.CpuVersion);
        var file = layout.CpuVersion == CgroupVersion.V1 ? "cpu.shares" : "cpu.weight";
        File.ReadAllText(Path.Join(byPid.Cpu!.Path, file)).Trim().ShouldBe("512");
        sample.CpuUsageNanoseconds.ShouldNotBeNull().ShouldBeGreaterThan(0);
        sample.MemoryUsageBytes.ShouldNotBeNull().ShouldBeGreaterThan(0);
        sample.Vcpus.Select(v => v.Index).ShouldBe([0, 1]);
        sample.Vcpus.ShouldAllBe(v => v.CpuUsageNanoseconds != null);

        // The counter only grows while the guest runs (TCG keeps the vCPU thread busy booting).
        Thread.Sleep(300);
        VmCgroupReader.Read(byPid, time).CpuUsageNanoseconds.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(sample.CpuUsageNanoseconds!.Value);
    }
}
