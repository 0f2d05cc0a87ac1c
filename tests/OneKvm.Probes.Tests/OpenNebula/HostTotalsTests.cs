using OneKvm.Cgroups;
using OneKvm.Probes.OpenNebula;
using OneKvm.Tests;

namespace OneKvm.Probes.Tests.OpenNebula;

public sealed class HostTotalsTests
{
    [Theory]
    [InlineData("0\n", 1)]
    [InlineData("0-1\n", 2)]
    [InlineData("0-3,8,10-11\n", 7)]
    public void CountCpuList(string text, int count) => HostTotals.CountCpuList(text, "online").ShouldBe(count);

    [Theory]
    [InlineData("")]
    [InlineData("0-")]
    [InlineData("3-1")]
    [InlineData("a")]
    public void CountCpuList_Malformed_NamesTheFile(string text) =>
        Should.Throw<FormatException>(() => HostTotals.CountCpuList(text, "/x/online")).Message.ShouldStartWith("/x/online:");

    [Fact]
    public void MemTotal_IsKiB() =>
        HostTotals.MemTotalKiB("MemTotal:       16318768 kB\nMemFree:  1 kB\n", "meminfo").ShouldBe(16318768);

    [Fact]
    public void MemTotal_Missing_IsAnError() =>
        Should.Throw<FormatException>(() => HostTotals.MemTotalKiB("MemFree: 1 kB\n", "/p/meminfo")).Message.ShouldContain("/p/meminfo");

    [Fact]
    public void From_KernelSnapshotOfTheFixtureTree()
    {
        var totals = HostTotals.From(OneKvm.Probes.Sampling.KernelSnapshot.Read(HostPaths.UnderRoot(TestPaths.Host("cgroup-v2-systemd")), TimeProvider.System));
        totals.ShouldBe(new HostTotals(800, 32768000));
    }
}
