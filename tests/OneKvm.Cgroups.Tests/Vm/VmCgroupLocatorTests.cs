using OneKvm.Cgroups.Layout;
using OneKvm.Cgroups.Vm;
using OneKvm.Tests;

namespace OneKvm.Cgroups.Tests.Vm;

public sealed class VmCgroupLocatorTests
{
    [Theory]
    [InlineData("/machine/qemu-2-one-74.libvirt-qemu/emulator", "/machine/qemu-2-one-74.libvirt-qemu")]
    [InlineData("/machine/qemu-2-one-74.libvirt-qemu", "/machine/qemu-2-one-74.libvirt-qemu")]
    [InlineData("/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope/libvirt/emulator", "/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope")]
    [InlineData("/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope/libvirt/vcpu12", "/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope")]
    [InlineData("/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope/emulator", "/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope")]
    [InlineData("/machine/x.libvirt-qemu/iothread1", "/machine/x.libvirt-qemu")]
    [InlineData("/", "/")]
    public void VmDirectoryOf(string path, string vmDir) => VmCgroupLocator.VmDirectoryOf(path).ShouldBe(vmDir);

    [Fact]
    public void ByPid_HybridCapture_CpuOnV1_UsageDirOnCgroup2_NoCpuacct()
    {
        var paths = HostPaths.UnderRoot(TestPaths.Host("cgroup-v1-hybrid"));
        var layout = CgroupLayout.Detect(paths);
        var vm = VmCgroupLocator.Locate(paths, layout, "one-81", 4).ShouldNotBeNull();
        vm.FoundBy.ShouldBe("pid");
        vm.Relative.ShouldBe("/machine/qemu-4-one-81.libvirt-qemu");
        vm.Cpu!.HostPath.ShouldBe("/sys/fs/cgroup/cpu/machine/qemu-4-one-81.libvirt-qemu");
        vm.Unified!.HostPath.ShouldBe("/sys/fs/cgroup/unified/machine/qemu-4-one-81.libvirt-qemu");
        vm.Cpuacct.ShouldBeNull(); // "2:cpuacct:/": libvirt does not place VMs there
        vm.Memory!.HostPath.ShouldBe("/sys/fs/cgroup/memory/machine/qemu-4-one-81.libvirt-qemu");
        vm.Io!.Version.ShouldBe(CgroupVersion.V1);
    }

    [Fact]
    public void ByPid_CpuOnCgroup2_MemoryOnV1()
    {
        var paths = HostPaths.UnderRoot(TestPaths.Host("cgroup-v2-cpu-on-hybrid"));
        var vm = VmCgroupLocator.Locate(paths, CgroupLayout.Detect(paths), "one-81", 4).ShouldNotBeNull();
        vm.Cpu!.Version.ShouldBe(CgroupVersion.V2);
        vm.Cpu.HostPath.ShouldBe("/sys/fs/cgroup/unified/machine/qemu-4-one-81.libvirt-qemu");
        vm.Memory!.Version.ShouldBe(CgroupVersion.V1);
        vm.Io!.Version.ShouldBe(CgroupVersion.V2);
    }

    [Fact]
    public void ByPid_SystemdScopeWithLibvirtLevel()
    {
        var paths = HostPaths.UnderRoot(TestPaths.Host("cgroup-v2-systemd"));
        var vm = VmCgroupLocator.Locate(paths, CgroupLayout.Detect(paths), "one-90", 3).ShouldNotBeNull();
        vm.Relative.ShouldBe("/machine.slice/machine-qemu\\x2d3\\x2done\\x2d90.scope");
        VmCgroupPaths.ThreadsDir(vm.Cpu!).HostPath.ShouldEndWith(".scope/libvirt");
    }

    [Fact]
    public void ByMachineName_WhenThereIsNoPidFile()
    {
        var paths = HostPaths.UnderRoot(TestPaths.Host("cgroup-v1-joined-systemd"));
        var layout = CgroupLayout.Detect(paths);
        VmCgroupLocator.ReadQemuPid(paths, "one-74").ShouldBeNull();
        var vm = VmCgroupLocator.Locate(paths, layout, "one-74", 2).ShouldNotBeNull();
        vm.FoundBy.ShouldBe("name");
        vm.Cpu!.HostPath.ShouldBe("/sys/fs/cgroup/cpu,cpuacct/machine.slice/machine-qemu\\x2d2\\x2done\\x2d74.scope");
        vm.Cpuacct.ShouldBe(vm.Cpu);
    }

    [Fact]
    public void ByMachineName_NonSystemd()
    {
        var paths = HostPaths.UnderRoot(TestPaths.Host("cgroup-v1-hybrid"));
        var vm = VmCgroupLocator.FromMachineName(CgroupLayout.Detect(paths), 2, "one-74").ShouldNotBeNull();
        vm.Relative.ShouldBe("/machine/qemu-2-one-74.libvirt-qemu");
        vm.Unified.ShouldNotBeNull();
    }

    [Fact]
    public void WrongDomainId_FindsNothingByName()
    {
        var paths = HostPaths.UnderRoot(TestPaths.Host("cgroup-v1-joined-systemd"));
        VmCgroupLocator.Locate(paths, CgroupLayout.Detect(paths), "one-74", 9).ShouldBeNull();
    }
}
