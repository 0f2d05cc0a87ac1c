using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;

namespace OneKvm.Collector.Pipeline;

/// <summary>
/// One timer per source, each with its own period; every tick becomes one <see cref="ProbeSnapshot"/>.
/// A tick that outlives its source's timeout is abandoned and reported failed; a tick that falls due
/// while the previous one still runs is skipped. Sources never wait for each other.
/// </summary>
public sealed class ProbePipeline(IScheduler scheduler, TimeProvider time)
{
    /// <summary>Snapshots of every source, merged; starts each source at subscription (first tick at once).</summary>
    public IObservable<ProbeSnapshot> Run(IEnumerable<ProbeSource> sources) =>
        sources.Select(Ticks).Merge();

    /// <summary>The snapshots of one source.</summary>
    public IObservable<ProbeSnapshot> Ticks(ProbeSource source) =>
        Observable.Timer(source.FirstDue, source.Period, scheduler)
            .Select(_ => System.Reactive.Unit.Default)
            .Merge(source.Trigger ?? Observable.Never<System.Reactive.Unit>())
            .ExhaustMap(_ => Once(source));

    /// <summary>One collection of <paramref name="source"/>, always ending in exactly one snapshot.</summary>
    public IObservable<ProbeSnapshot> Once(ProbeSource source) =>
        Observable.Defer(() =>
        {
            var started = time.GetUtcNow();
            var timestamp = time.GetTimestamp();
            return Collect(source)
                .Timeout(source.Timeout, scheduler)
                .Select(sample => ProbeSnapshot.Ok(source.Name, started, sample, time.GetElapsedTime(timestamp)) with
                {
                    Missing = source.MissingOf?.Invoke(sample) ?? [],
                })
                .Catch((Exception e) => Observable.Return(Failure(source, started, time.GetElapsedTime(timestamp), e)));
        });

    /// <summary>The source's task as an observable whose unsubscription (the timeout) cancels the run.</summary>
    private static IObservable<object> Collect(ProbeSource source) =>
        Observable.Create<object>(observer =>
        {
            var cancel = new CancellationTokenSource();
            Task<object> task;
            try
            {
                task = source.CollectAsync(cancel.Token);
            }
            catch (Exception e)
            {
                task = Task.FromException<object>(e);
            }
            var subscription = task.ToObservable().Subscribe(observer);
            return Disposable.Create(() =>
            {
                subscription.Dispose();
                cancel.Cancel();
                cancel.Dispose();
            });
        });

    private static ProbeSnapshot Failure(ProbeSource source, DateTimeOffset started, TimeSpan duration, Exception e) =>
        e is TimeoutException
            ? ProbeSnapshot.Failed(source.Name, started,
                $"{source.Name} did not finish within {source.Timeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} s", duration)
                with { TimedOut = true }
            : ProbeSnapshot.Failed(source.Name, started, e.Message, duration);
}
