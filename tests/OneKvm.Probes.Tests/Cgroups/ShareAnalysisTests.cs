using OneKvm.Cgroups;
using OneKvm.Cgroups.Files;
using OneKvm.Cgroups.Layout;
using OneKvm.Cgroups.Proc;
using OneKvm.Cgroups.Vm;
using OneKvm.Libvirt.Domain;
using OneKvm.Probes.Cgroups;
using OneKvm.Probes.Host.Kernel;

namespace OneKvm.Probes.Tests.Cgroups;

public sealed class ShareAnalysisTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static readonly CgroupLayout V1 = CgroupLayout.FromMounts(
        MountInfoParser.Parse("32 31 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"), HostPaths.UnderRoot("/nonexistent"));

    private static Observed Vm(string name, int vcpus, long shares, float? cpu, long usedNsPerSecond,
        long throttled = 0, long stallUsPerSecond = 0, long startUsage = 1_000_000_000)
    {
        var paths = new VmCgroupPaths("/machine/" + name, null, null, null, null, null, "pid");
        VmCgroupSample Sample(DateTimeOffset t, long usage, long thr, long stall) => new()
        {
            Paths = paths,
            Timestamp = t,
            AppliedShares = shares,
            SharesVersion = CgroupVersion.V1,
            CpuUsageNanoseconds = usage,
            CpuThrottledPeriods = thr,
            CpuPressure = new PressureSample(stall, null, 0),
        };
        var template = cpu is null ? null : new OneVmTemplate(cpu, vcpus, 64, "vm.xml");
        var domain = new DomainDefinition
        {
            Name = name,
            Id = 1,
            Vcpus = new DomainVcpus((uint)vcpus, (uint)vcpus, "static", null),
            MemoryKiB = 65536,
            CpuTune = new DomainCpuTune((ulong)shares, null, null, []),
            OneVm = new OneVmMetadata { SystemDatastore = "/ds/0/1" },
        };
        return new Observed(domain, template, paths,
            Sample(T0, startUsage, 0, 0), null)
        {
            Second = Sample(T0.AddSeconds(2), startUsage + (2 * usedNsPerSecond), throttled, 2 * stallUsPerSecond),
        };
    }

    private static IReadOnlyList<VmCgroupReport> Analyse(long maxCpu, params Observed[] vms) =>
        ShareAnalysis.Analyse(V1, vms, maxCpu, totalCpu: 200, new CgroupAuditSettings());

    [Fact]
    public void UsageIsDeltaOverWindow_AndEntitlementFollowsWeights()
    {
        var r = Analyse(200, Vm("one-1", 2, 512, 0.5f, 500_000_000), Vm("one-2", 2, 1024, 1f, 1_500_000_000));
        r[0].UsedCores!.Value.ShouldBe(0.5, 1e-9);
        r[1].UsedCores!.Value.ShouldBe(1.5, 1e-9);
        r[0].EntitledCores!.Value.ShouldBe(2 / 3.0, 1e-9);
        r[1].EntitledCores!.Value.ShouldBe(4 / 3.0, 1e-9);
        r[0].ExpectedShares.ShouldBe(512);
        r[0].Drift.ShouldBe(false);
    }

    [Fact]
    public void UnderEntitlementAndThrottled_IsStarved_AndTheOneAboveIsNoisy()
    {
        var r = Analyse(200,
            Vm("one-1", 2, 1024, 1f, 300_000_000, throttled: 12),
            Vm("one-2", 2, 1024, 1f, 1_700_000_000));
        r[0].Starved.ShouldBeTrue();
        r[0].ThrottledPeriods.ShouldBe(12);
        r[1].Noisy.ShouldBeTrue(); // 2.0 cores busy of 2.0: contended
        r[1].Starved.ShouldBeFalse();
    }

    [Fact]
    public void UnderEntitlementWithCpuPressure_IsStarved()
    {
        var r = Analyse(200, Vm("one-1", 2, 1024, 1f, 200_000_000, stallUsPerSecond: 300_000), Vm("one-2", 1, 1024, 1f, 10_000_000));
        r[0].CpuPressure!.Value.ShouldBe(0.3, 1e-9);
        r[0].Starved.ShouldBeTrue();
    }

    [Fact]
    public void UnderEntitlementButIdle_IsNeitherStarvedNorNoisy()
    {
        var r = Analyse(200, Vm("one-1", 2, 1024, 1f, 100_000_000), Vm("one-2", 2, 1024, 1f, 1_200_000_000));
        r.ShouldAllBe(v => !v.Starved && !v.Noisy); // 1.3 of 2 cores used: no contention
    }

    [Fact]
    public void CounterReset_GivesNoUsage()
    {
        var vm = Vm("one-1", 1, 1024, 1f, 0);
        vm = vm with { Second = vm.Second! with { CpuUsageNanoseconds = 5 } };
        Analyse(200, vm)[0].UsedCores.ShouldBeNull();
    }

    [Fact]
    public void WildVm_HasNoExpectedShareButCompetes()
    {
        var wild = Vm("legacy-db", 1, 1024, null, 0);
        wild = wild with { Domain = wild.Domain with { OneVm = null } };
        var r = Analyse(200, wild, Vm("one-2", 1, 1024, 1f, 0));
        var w = r.Single(v => v.Domain == "legacy-db");
        w.ExpectedShares.ShouldBeNull();
        w.Drift.ShouldBeNull();
        w.EntitledCores.ShouldBe(1.0);
    }

    [Fact]
    public void MissingVmXml_FallsBackToDomainXmlShares()
    {
        var r = Analyse(200, Vm("one-7", 1, 2048, null, 0));
        r[0].Cpu.ShouldBe(2f);
        r[0].CpuSource.ShouldBe("domain-xml-shares");
        r[0].ExpectedShares.ShouldBe(2048);
    }

    [Fact]
    public void OrderIsByVmIdThenName() =>
        Analyse(200, Vm("zeta", 1, 1024, null, 0), Vm("one-100", 1, 1024, 1f, 0), Vm("one-73", 1, 1024, 1f, 0))
            .Select(v => v.Domain).ShouldBe(["one-73", "one-100", "zeta"]);

    [Theory]
    [InlineData(null, 1000, "none")]
    [InlineData(1024L * 1000, 1000, "matches")]
    [InlineData(1024L * 500, 1000, "below_max_mem")]
    [InlineData(1024L * 2000, 1000, "above_max_mem")]
    public void MemoryLimitCheck(long? limitBytes, long maxMemKiB, string check) =>
        CgroupAuditor.MemoryLimitCheck(limitBytes, maxMemKiB).ShouldBe(check);
}
