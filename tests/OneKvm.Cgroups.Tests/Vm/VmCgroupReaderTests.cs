using Microsoft.Extensions.Time.Testing;
using OneKvm.Cgroups.Layout;
using OneKvm.Cgroups.Vm;
using OneKvm.Tests;

namespace OneKvm.Cgroups.Tests.Vm;

public sealed class VmCgroupReaderTests
{
    private static VmCgroupSample Read(string scenario, string domain, int id)
    {
        var paths = HostPaths.UnderRoot(TestPaths.Host(scenario));
        var vm = VmCgroupLocator.Locate(paths, CgroupLayout.Detect(paths), domain, id).ShouldNotBeNull();
        return VmCgroupReader.Read(vm, new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void HybridCapture_One81()
    {
        var s = Read("cgroup-v1-hybrid", "one-81", 4);
        s.AppliedShares.ShouldBe(1024);
        s.SharesVersion.ShouldBe(CgroupVersion.V1);
        s.CpuUsageNanoseconds.ShouldBe(9227336000); // captured usage_usec × 1000, as libvirt's cpu.time
        s.CpuUsageSource.ShouldBe("cpu.stat");
        s.CpuThrottledPeriods.ShouldBe(0);
        s.CpuPressure!.SomeTotalMicroseconds.ShouldBe(2224115);
        s.MemoryUsageBytes.ShouldBe(30871552);
        s.MemoryAnonBytes.ShouldBe(30093312);
        s.MemoryLimitBytes.ShouldBeNull();
        (s.IoReadBytes, s.IoWriteBytes).ShouldBe((0L, 0L));
        s.Vcpus.Select(v => v.Index).ShouldBe([0, 1]);
        s.Vcpus.ShouldAllBe(v => v.CpuUsageNanoseconds != null);
        s.Timestamp.Year.ShouldBe(2026);
    }

    [Fact]
    public void V2OnHybrid_WeightAndThrottlingInNanoseconds()
    {
        var s = Read("cgroup-v2-cpu-on-hybrid", "one-81", 4);
        s.AppliedShares.ShouldBe(1024);
        s.SharesVersion.ShouldBe(CgroupVersion.V2);
        s.CpuThrottledNanoseconds.ShouldBe(0);
        s.IoReadBytes.ShouldBe(102912);
        s.MemoryUsageBytes.ShouldBe(31051776);
    }

    [Fact]
    public void V1Split_EmptyCgroup2_UsageFromCpuacct()
    {
        var s = Read("cgroup-v1-split-empty-v2", "one-61", 2);
        s.Paths.Unified.ShouldBeNull();
        s.CpuUsageSource.ShouldBe("cpuacct.usage");
        s.CpuUsageNanoseconds.ShouldBe(4_000_000_000);
        s.Vcpus.Count.ShouldBe(2);
        s.Vcpus[0].CpuUsageNanoseconds.ShouldBe(4_000_000_000 / 3);
        s.MemoryLimitBytes.ShouldBeNull();
    }

    [Fact]
    public void V2Systemd_MemoryAndThrottling()
    {
        var s = Read("cgroup-v2-systemd", "one-91", 4);
        s.AppliedShares.ShouldBe(1024);
        s.CpuThrottledPeriods.ShouldBe(4);
        s.CpuThrottledNanoseconds.ShouldBe(5_300_000);
        s.MemoryLimitBytes.ShouldBeNull(); // "max"
        s.MemoryAnonBytes.ShouldBe(2048L * 1024 * 1024 / 3);
        s.MemorySwapBytes.ShouldBe(0);
        s.Vcpus.Count.ShouldBe(4);
    }

    [Fact]
    public void V1Joined_BlkioAndCpuacct()
    {
        var s = Read("cgroup-v1-joined-systemd", "one-73", 1);
        s.CpuUsageSource.ShouldBe("cpuacct.usage");
        s.IoReadBytes.ShouldBe(4096);
        s.IoWriteBytes.ShouldBe(8192);
    }
}
