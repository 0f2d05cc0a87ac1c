using OneKvm.Cgroups.Layout;
using OneKvm.Cgroups.Shares;
using OneKvm.Probes.OpenNebula;

namespace OneKvm.Probes.Tests.OpenNebula;

public sealed class OneCpuSharesTests
{
    // OpenNebula computes in single precision: 0.07 × 100 rounds up to 7, not 8.
    [Theory]
    [InlineData(0.001f, 2, 1)]
    [InlineData(0.07f, 72, 7)]
    [InlineData(0.15f, 154, 16)]
    [InlineData(0.3f, 308, 31)]
    [InlineData(0.5f, 512, 50)]
    [InlineData(0.55f, 564, 55)]
    [InlineData(1f, 1024, 100)]
    [InlineData(1.1f, 1127, 110)]
    [InlineData(2f, 2048, 200)]
    [InlineData(9.77f, 10005, 978)]
    [InlineData(200f, 204800, 10000)]
    public void Expected_SpecTable(float cpu, long v1, long v2)
    {
        OneCpuShares.For(cpu, CgroupVersion.V1).ShouldBe(v1);
        OneCpuShares.For(cpu, CgroupVersion.V2).ShouldBe(v2);
    }

    [Theory]
    [InlineData(0f, 2, 1)]
    [InlineData(-1f, 2, 1)]
    [InlineData(float.NaN, 2, 1)]
    [InlineData(0.0001f, 2, 1)]
    [InlineData(0.01f, 11, 1)]
    [InlineData(99.99f, 102390, 9999)]
    [InlineData(100f, 102400, 10000)]
    [InlineData(100.01f, 102411, 10000)]
    [InlineData(256f, 262144, 10000)]
    [InlineData(256.1f, 262144, 10000)]
    [InlineData(float.PositiveInfinity, 262144, 10000)]
    public void Expected_ClampsAtBoundaries(float cpu, long v1, long v2)
    {
        OneCpuShares.For(cpu, CgroupVersion.V1).ShouldBe(v1);
        OneCpuShares.For(cpu, CgroupVersion.V2).ShouldBe(v2);
    }

    [Fact]
    public void Expected_AlwaysInRangeAndMonotonic()
    {
        var random = new Random(4711);
        for (var i = 0; i < 5000; i++)
        {
            var a = (float)(random.NextDouble() * 300);
            var b = a + (float)(random.NextDouble() * 10);
            foreach (var version in new[] { CgroupVersion.V1, CgroupVersion.V2 })
            {
                var (min, max) = CpuShares.Range(version);
                var ea = OneCpuShares.For(a, version);
                ea.ShouldBeInRange(min, max);
                OneCpuShares.For(b, version).ShouldBeGreaterThanOrEqualTo(ea, $"CPU {a} -> {b} on {version}");
            }
        }
    }

    [Theory]
    [InlineData(1024, CgroupVersion.V1, 1f)]
    [InlineData(512, CgroupVersion.V1, 0.5f)]
    [InlineData(1024, CgroupVersion.V2, 10.24f)]
    public void CpuFromShares_InvertsTheBase(long shares, CgroupVersion version, float cpu) =>
        OneCpuShares.CpuFromShares(shares, version).ShouldBe(cpu, 1e-6f);
}
