using OneKvm.Probes.Sampling;

namespace OneKvm.Probes.Tests.Sampling;

public sealed class CounterRateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(100UL, 150UL, 10, 5.0)] // plain increase
    [InlineData(100UL, 100UL, 10, 0.0)] // idle
    [InlineData(0UL, 1UL, 0.5, 2.0)]    // sub-second precision kept
    public void PerSecond_TwoSamples_GivesRate(ulong before, ulong after, double seconds, double expected) =>
        CounterRate.PerSecond(before, T0, after, T0.AddSeconds(seconds)).ShouldBe(expected);

    [Fact]
    public void PerSecond_WentBackwards_IsNoRateNeverNegative()
    {
        CounterRate.PerSecond(100, T0, 30, T0.AddSeconds(10)).ShouldBeNull();
        CounterRate.Delta(ulong.MaxValue - 5, 3).ShouldBeNull(); // wrapped near 2^64: a reset, not 2^64 - 8
        CounterRate.Delta(3, ulong.MaxValue).ShouldBe(ulong.MaxValue - 3);
    }

    [Fact]
    public void PerSecond_NoTimeElapsedOrClockBackwards_IsNull()
    {
        CounterRate.PerSecond(1, T0, 2, T0).ShouldBeNull();
        CounterRate.PerSecond(1, T0, 2, T0.AddSeconds(-1)).ShouldBeNull();
    }

    [Fact]
    public void PerSecond_AbsentValue_IsNull() => CounterRate.PerSecond(null, T0, 2, T0.AddSeconds(1)).ShouldBeNull();
}
