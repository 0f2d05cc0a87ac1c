using OneKvm.Cgroups.Proc;
using OneKvm.Probes.Host;
using OneKvm.Probes.Host.Kernel;

namespace OneKvm.Probes.Tests.Host;

public sealed class CpuUsageTests
{
    private static CpuTicks Ticks(ulong user, ulong system, ulong idle, ulong iowait = 0, ulong steal = 0) =>
        new(user, 0, system, idle, iowait, 0, 0, steal);

    [Theory]
    [InlineData(1000, 500, 2500, 0, 0, 200, 125)]
    [InlineData(0, 0, 1000, 0, 0, 800, 800)]
    [InlineData(1000, 0, 0, 0, 0, 800, 0)]
    [InlineData(0, 0, 500, 300, 200, 100, 50)] // iowait and steal count as used
    [InlineData(1, 1, 1, 0, 0, 200, 66)]       // rounded down, as upstream's integer arithmetic
    public void Between_SplitsTotalByIdleShare(ulong user, ulong system, ulong idle, ulong iowait, ulong steal, int total, int free)
    {
        var before = Ticks(100, 100, 100, 100, 100);
        var after = Ticks(100 + user, 100 + system, 100 + idle, 100 + iowait, 100 + steal);
        var usage = CpuUsage.Between(before, after, total).ShouldNotBeNull();
        usage.Free.ShouldBe(free);
        (usage.Free + usage.Used).ShouldBe(total);
    }

    [Fact]
    public void Between_NoTicks_IsNull() => CpuUsage.Between(Ticks(1, 1, 1), Ticks(1, 1, 1), 200).ShouldBeNull();

    [Fact]
    public void Between_IowaitGoingBackwards_CountsAsZero()
    {
        var usage = CpuUsage.Between(Ticks(0, 0, 0, iowait: 50), Ticks(100, 0, 100, iowait: 10), 200).ShouldNotBeNull();
        usage.Free.ShouldBe(100);
    }

    [Fact]
    public void Between_CountersNearTwoToThe64_DoNotWrapTheSum()
    {
        const ulong near = ulong.MaxValue - 10;
        var usage = CpuUsage.Between(CpuUsage.Boot, new CpuTicks(near, 0, near, near / 2, 0, 0, 0, 0), 200).ShouldNotBeNull();
        usage.Free.ShouldBeInRange(0, 200);
        usage.Used.ShouldBe(200 - usage.Free);
        usage.Free.ShouldBe(39); // 200 × (near / 2) / (2.5 × near), rounded down
    }

    [Fact]
    public void IsUsableBaseline_ChecksBootCpusDirectionAndAge()
    {
        var now = new ProcStat(Ticks(10_000, 0, 10_000), 2, 1000);
        CpuSampler.IsUsableBaseline(new CpuSampleState(1000, 2, Ticks(9_000, 0, 9_000)), now, 2).ShouldBeTrue();
        CpuSampler.IsUsableBaseline(null, now, 2).ShouldBeFalse();
        CpuSampler.IsUsableBaseline(new CpuSampleState(5000, 2, Ticks(9_000, 0, 9_000)), now, 2).ShouldBeFalse(); // rebooted
        CpuSampler.IsUsableBaseline(new CpuSampleState(1000, 4, Ticks(9_000, 0, 9_000)), now, 2).ShouldBeFalse(); // hotplug
        CpuSampler.IsUsableBaseline(new CpuSampleState(1000, 2, Ticks(10_000, 0, 10_000)), now, 2).ShouldBeFalse(); // no tick
        CpuSampler.IsUsableBaseline(new CpuSampleState(1000, 2, Ticks(11_000, 0, 9_000)), now, 2).ShouldBeFalse(); // went backwards
        // 2 CPUs × 100 ticks/s × 900 s = 180,000 ticks is the oldest usable baseline.
        var old = new ProcStat(Ticks(100_000, 0, 100_000), 2, 1000);
        CpuSampler.IsUsableBaseline(new CpuSampleState(1000, 2, Ticks(10_000, 0, 10_000)), old, 2).ShouldBeTrue();
        CpuSampler.IsUsableBaseline(new CpuSampleState(1000, 2, Ticks(10_000, 0, 9_999)), old, 2).ShouldBeFalse();
    }
}
