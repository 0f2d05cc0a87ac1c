using System.Reactive.Concurrency;

namespace OneKvm.Collector.Tests.Support;

/// <summary>A <see cref="TimeProvider"/> reading the virtual clock of a test scheduler.</summary>
internal sealed class SchedulerTimeProvider(IScheduler scheduler) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => scheduler.Now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => scheduler.Now.UtcTicks;
}
