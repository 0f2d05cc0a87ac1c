using System.Reactive.Concurrency;
using System.Reactive.Linq;
using OneKvm.Collector.Exporter;
using OneKvm.Collector.Pipeline;
using OneKvm.Collector.Tests.Support;

namespace OneKvm.Collector.Tests.Pipeline;

public sealed class ProbePipelineTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly HistoricalScheduler _scheduler = new(Start);

    private ProbePipeline Pipeline => new(_scheduler, new SchedulerTimeProvider(_scheduler));

    /// <summary>A sample: the number of the call that produced it.</summary>
    private sealed record Count(int N);

    private static ProbeSource<Count> Instant(string name, int periodSeconds, Func<int, int>? sample = null)
    {
        var calls = 0;
        return new ProbeSource<Count>(name, TimeSpan.FromSeconds(periodSeconds), TimeSpan.FromSeconds(periodSeconds),
            _ => Task.FromResult(new Count(sample is null ? calls++ : sample(calls++))));
    }

    private List<ProbeSnapshot<Count>> Record(IEnumerable<ProbeSource<Count>> sources, int seconds)
    {
        var seen = new List<ProbeSnapshot<Count>>();
        using var subscription = Pipeline.Run(sources).Subscribe(seen.Add);
        _scheduler.AdvanceTo(Start.AddSeconds(seconds));
        return seen;
    }

    private static double[] Offsets(IEnumerable<ProbeSnapshot<Count>> snapshots, string source) =>
        snapshots.Where(s => s.Source == source).Select(s => (s.Time - Start).TotalSeconds).ToArray();

    [Fact]
    public void Run_TwoSources_EachTicksOnItsOwnPeriodStartingAtOnce()
    {
        var seen = Record([Instant("fast", 5), Instant("slow", 30)], 60);

        Offsets(seen, "fast").ShouldBe([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60]);
        Offsets(seen, "slow").ShouldBe([0, 30, 60]);
        seen.Where(s => s.Source == "fast").Select(s => s.Sample!.N).ShouldBe(Enumerable.Range(0, 13));
        seen.ShouldAllBe(s => s.Success);
    }

    [Fact]
    public void Run_FirstDue_DelaysOnlyTheFirstTick()
    {
        var seen = Record([Instant("later", 10) with { FirstDue = TimeSpan.FromSeconds(10) }], 30);

        Offsets(seen, "later").ShouldBe([10, 20, 30]);
    }

    [Fact]
    public void Run_Trigger_AddsATickWithoutShiftingThePeriod()
    {
        var trigger = new System.Reactive.Subjects.Subject<System.Reactive.Unit>();
        _scheduler.Schedule(TimeSpan.FromSeconds(7), () => trigger.OnNext(System.Reactive.Unit.Default));

        var seen = Record([Instant("system", 20) with { Trigger = trigger }], 40);

        Offsets(seen, "system").ShouldBe([0, 7, 20, 40]);
    }

    [Fact]
    public void Run_HungSource_TimesOutWithoutDelayingOthersAndNeverOverlaps()
    {
        var tokens = new List<CancellationToken>();
        var hung = new ProbeSource<Count>("hung", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(25), ct =>
        {
            tokens.Add(ct);
            return new TaskCompletionSource<Count>().Task;
        });

        var seen = new List<ProbeSnapshot<Count>>();
        using var subscription = Pipeline.Run([hung, Instant("beacon", 5)]).Subscribe(seen.Add);
        _scheduler.AdvanceTo(Start.AddSeconds(26));
        tokens.Select(t => t.IsCancellationRequested).ShouldBe([true]);
        _scheduler.AdvanceTo(Start.AddSeconds(60));
        subscription.Dispose();

        Offsets(seen, "beacon").ShouldBe([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60]);
        var failures = seen.Where(s => s.Source == "hung").ToList();
        // Ticks at 0 (abandoned at 25), 30 (abandoned at 55); the ticks at 10, 20, 40, 50 fell due while one was running.
        failures.Select(s => (s.Time - Start).TotalSeconds).ShouldBe([0, 30]);
        failures.ShouldAllBe(s => !s.Success && s.Sample == null && s.Status.TimedOut && s.Status.Duration == TimeSpan.FromSeconds(25));
        failures[0].Error.ShouldBe("hung did not finish within 25 s");
        tokens.Count.ShouldBe(3);
        // The two abandoned runs were told to stop; the run started at 60 only when the test unsubscribed.
        tokens.ShouldAllBe(t => t.IsCancellationRequested);

    }

    [Fact]
    public void Run_FailingSource_GivesErrorSnapshotsAndKeepsTicking()
    {
        var calls = 0;
        var flaky = new ProbeSource<Count>("flaky", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), _ =>
            ++calls % 2 == 1 ? Task.FromException<Count>(new InvalidOperationException($"broken {calls}")) : Task.FromResult(new Count(calls)));

        var seen = Record([flaky], 30);

        seen.Select(s => s.Error).ShouldBe(["broken 1", null, "broken 3", null]);
        seen.Select(s => s.Sample?.N).ShouldBe([null, 2, null, 4]);
    }

    [Fact]
    public void Scan_SnapshotSet_KeepsLatestAndLastSuccessPerSource()
    {
        var calls = 0;
        var flaky = new ProbeSource<Count>("flaky", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), _ =>
            ++calls == 2 ? Task.FromException<Count>(new InvalidOperationException("down")) : Task.FromResult(new Count(calls)));
        var sets = new List<SnapshotSet>();
        using var subscription = Pipeline.Statuses([flaky]).Scan(SnapshotSet.Empty, (set, s) => set.With(s)).Subscribe(sets.Add);
        _scheduler.AdvanceTo(Start.AddSeconds(10));

        var last = sets[^1];
        last.Generation.ShouldBe(2);
        last.Latest["flaky"].Error.ShouldBe("down");
        last.LastSuccess["flaky"].Time.ShouldBe(Start);
        sets[0].Latest["flaky"].Success.ShouldBeTrue();
    }

    [Fact]
    public void MissingOf_PartialSample_IsInTheStatus()
    {
        var partial = Instant("partial", 10) with { MissingOf = c => c.N == 1 ? ["KVM_* (libvirt down)"] : [] };

        var seen = Record([partial], 10);

        seen.Select(s => s.Status.Missing.Count).ShouldBe([0, 1]);
        seen[1].Success.ShouldBeTrue();
    }

    [Fact]
    public void Pairwise_ConsecutiveSnapshots_FeedPureRateWithReset()
    {
        double[] counters = [100, 160, 40, 70];
        var rates = new List<double?>();
        using var subscription = Pipeline.Ticks(Instant("cpu", 10, n => (int)counters[Math.Min(n, counters.Length - 1)]))
            .Pairwise()
            .Select(p => Probes.Sampling.CounterRate.PerSecond((ulong)p.Previous.Sample!.N, p.Previous.Time, (ulong)p.Current.Sample!.N, p.Current.Time))
            .Subscribe(rates.Add);
        _scheduler.AdvanceTo(Start.AddSeconds(30));

        rates.ShouldBe([6.0, null, 3.0]); // 160 -> 40 is a reset: no rate for that interval
    }
}
