using OneKvm.Cgroups;
using OneKvm.Probes.OpenNebula;
using OneKvm.Tests;

namespace OneKvm.Probes.Tests.OpenNebula;

public sealed class HostTotalsTests
{
    [Fact]
    public void From_KernelSnapshotOfTheFixtureTree()
    {
        var totals = HostTotals.From(OneKvm.Probes.Sampling.KernelSnapshot.Read(HostPaths.UnderRoot(TestPaths.Host("cgroup-v2-systemd")), TimeProvider.System));
        totals.ShouldBe(new HostTotals(800, 32768000));
    }
}
