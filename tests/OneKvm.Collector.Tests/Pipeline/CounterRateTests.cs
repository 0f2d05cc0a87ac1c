using OneKvm.Collector.Pipeline;

namespace OneKvm.Collector.Tests.Pipeline;

public sealed class CounterRateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(100, 150, 10, 5)]      // plain increase
    [InlineData(100, 100, 10, 0)]      // idle
    [InlineData(100, 30, 10, 3)]       // went backwards: reset, counted from zero
    [InlineData(0, 0.5, 0.5, 1)]       // sub-second precision kept
    public void PerSecond_TwoSamples_GivesRate(double before, double after, double seconds, double expected) =>
        CounterRate.PerSecond(before, T0, after, T0.AddSeconds(seconds)).ShouldBe(expected);

    [Fact]
    public void PerSecond_NoTimeElapsedOrClockBackwards_IsNull()
    {
        CounterRate.PerSecond(1, T0, 2, T0).ShouldBeNull();
        CounterRate.PerSecond(1, T0, 2, T0.AddSeconds(-1)).ShouldBeNull();
    }

    [Fact]
    public void PerSecond_AbsentValue_IsNull() => CounterRate.PerSecond(null, T0, 2, T0.AddSeconds(1)).ShouldBeNull();

    [Fact]
    public void PerSecond_Keyed_OnlyKeysPresentInBoth()
    {
        var rates = CounterRate.PerSecond(
            new Dictionary<string, double> { ["one-1"] = 10, ["one-2"] = 50, ["gone"] = 5 }, T0,
            new Dictionary<string, double> { ["one-1"] = 30, ["one-2"] = 4, ["new"] = 7 }, T0.AddSeconds(2));

        rates.ShouldBe(new Dictionary<string, double> { ["one-1"] = 10, ["one-2"] = 2 }, ignoreOrder: true);
    }
}
