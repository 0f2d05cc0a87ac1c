using OneKvm.Cgroups.Layout;
using OneKvm.Cgroups.Proc;
using OneKvm.Tests;

namespace OneKvm.Cgroups.Tests.Layout;

public sealed class CgroupLayoutTests
{
    private static CgroupLayout Detect(string scenario) => CgroupLayout.Detect(HostPaths.UnderRoot(TestPaths.Host(scenario)));

    [Fact]
    public void HybridCapture_CpuOnV1Apart_LibvirtUsesCgroup2()
    {
        var layout = Detect("cgroup-v1-hybrid");
        layout.Mode.ShouldBe(CgroupMode.Hybrid);
        layout.CpuVersion.ShouldBe(CgroupVersion.V1);
        layout.CpuJoinedWithCpuacct.ShouldBeFalse();
        layout.Cpu!.HostMountPoint.ShouldBe("/sys/fs/cgroup/cpu");
        layout.Cpu.MountPoint.ShouldBe(Path.Join(TestPaths.Host("cgroup-v1-hybrid"), "sys", "fs", "cgroup", "cpu"));
        layout.Cpuacct!.HostMountPoint.ShouldBe("/sys/fs/cgroup/cpuacct");
        layout.V2!.Controllers.ShouldBe(["hugetlb"]);
        layout.LibvirtUsesV2.ShouldBeTrue(); // non-empty cgroup.controllers, even if only hugetlb
        layout.OpenNebulaCgroupsVersion.ShouldBe(1);
    }

    [Fact]
    public void V2CpuOnHybridCapture_CpuFollowsTheSuperOptionsNotTheMountPoint()
    {
        var layout = Detect("cgroup-v2-cpu-on-hybrid");
        layout.Mode.ShouldBe(CgroupMode.Hybrid);
        layout.V1Of("net_cls")!.HostMountPoint.ShouldBe("/sys/fs/cgroup/cpu");
        layout.CpuVersion.ShouldBe(CgroupVersion.V2);
        layout.Cpu!.HostMountPoint.ShouldBe("/sys/fs/cgroup/unified");
        layout.OpenNebulaCgroupsVersion.ShouldBe(1);
    }

    [Fact]
    public void V1Joined()
    {
        var layout = Detect("cgroup-v1-joined-systemd");
        layout.Mode.ShouldBe(CgroupMode.V1);
        layout.V2.ShouldBeNull();
        layout.CpuJoinedWithCpuacct.ShouldBeTrue();
        layout.Cpu.ShouldBeSameAs(layout.Cpuacct);
        layout.Cpu!.HostMountPoint.ShouldBe("/sys/fs/cgroup/cpu,cpuacct");
        layout.LibvirtUsesV2.ShouldBeFalse();
    }

    [Fact]
    public void V2Unified()
    {
        var layout = Detect("cgroup-v2-systemd");
        layout.Mode.ShouldBe(CgroupMode.V2);
        layout.CpuVersion.ShouldBe(CgroupVersion.V2);
        layout.Cpuacct.ShouldBeNull();
        layout.OpenNebulaCgroupsVersion.ShouldBe(2);
    }

    [Fact]
    public void HybridWithEmptyCgroup2_LibvirtIgnoresIt()
    {
        var layout = Detect("cgroup-v1-split-empty-v2");
        layout.Mode.ShouldBe(CgroupMode.Hybrid);
        layout.V2!.Controllers.ShouldBeEmpty();
        layout.LibvirtUsesV2.ShouldBeFalse();
    }

    [Fact]
    public void NoCgroup_SaysSoLikeLscgroup()
    {
        var e = Should.Throw<CgroupNotMountedException>(() => Detect("cgroup-none"));
        e.Message.ShouldStartWith("cgroups can't be listed: Cgroup is not mounted");
        e.Message.ShouldContain("cgroup-none/proc/self/mountinfo");
    }

    [Fact]
    public void CgroupMountedInsideAContainer_RootFieldIsHonoured()
    {
        var mounts = MountInfoParser.Parse("30 20 0:26 /machine.slice /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
        var layout = CgroupLayout.FromMounts(mounts, HostPaths.UnderRoot("/nonexistent"));
        layout.Mode.ShouldBe(CgroupMode.V2);
        layout.V2!.Dir("/machine.slice/machine-x.scope").HostPath.ShouldBe("/sys/fs/cgroup/machine-x.scope");
    }
}
