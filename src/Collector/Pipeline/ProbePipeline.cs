using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;

namespace OneKvm.Collector.Pipeline;

/// <summary>
/// One timer per source, each with its own period; every tick becomes one <see cref="ProbeSnapshot{T}"/>.
/// A tick that outlives its source's timeout is abandoned and reported failed; a tick that falls due
/// while the previous one still runs is skipped. Sources never wait for each other.
/// </summary>
public sealed class ProbePipeline(IScheduler scheduler, TimeProvider time)
{
    /// <summary>Snapshots of every source, merged; starts each source at subscription (first tick at once).</summary>
    public IObservable<ProbeSnapshot<T>> Run<T>(IEnumerable<ProbeSource<T>> sources)
        where T : class => sources.Select(Ticks).Merge();

    /// <summary>How each tick of every source went, samples dropped (serve's health-only sources).</summary>
    public IObservable<ProbeStatus> Statuses<T>(IEnumerable<ProbeSource<T>> sources)
        where T : class => Run(sources).Select(s => s.Status);

    /// <summary>The snapshots of one source.</summary>
    public IObservable<ProbeSnapshot<T>> Ticks<T>(ProbeSource<T> source)
        where T : class =>
        Observable.Timer(source.FirstDue, source.Period, scheduler)
            .Select(_ => System.Reactive.Unit.Default)
            .Merge(source.Trigger ?? Observable.Never<System.Reactive.Unit>())
            .ExhaustMap(_ => Once(source));

    /// <summary>One collection of <paramref name="source"/>, always ending in exactly one snapshot.</summary>
    public IObservable<ProbeSnapshot<T>> Once<T>(ProbeSource<T> source)
        where T : class =>
        Observable.Defer(() =>
        {
            var started = time.GetUtcNow();
            var timestamp = time.GetTimestamp();
            return Collect(source)
                .Timeout(source.Timeout, scheduler)
                .Select(sample => new ProbeSnapshot<T>(
                    ProbeStatus.Ok(source.Name, started, time.GetElapsedTime(timestamp)) with { Missing = source.MissingOf?.Invoke(sample) ?? [] },
                    sample))
                .Catch((Exception e) => Observable.Return(Failure(source, started, time.GetElapsedTime(timestamp), e)));
        });

    /// <summary>The source's task as an observable whose unsubscription (the timeout) cancels the run.</summary>
    private static IObservable<T> Collect<T>(ProbeSource<T> source)
        where T : class =>
        Observable.Create<T>(observer =>
        {
            var cancel = new CancellationTokenSource();
            Task<T> task;
            try
            {
                task = source.CollectAsync(cancel.Token);
            }
            catch (Exception e)
            {
                task = Task.FromException<T>(e);
            }
            var subscription = task.ToObservable().Subscribe(observer);
            return Disposable.Create(() =>
            {
                subscription.Dispose();
                cancel.Cancel();
                cancel.Dispose();
            });
        });

    private static ProbeSnapshot<T> Failure<T>(ProbeSource<T> source, DateTimeOffset started, TimeSpan duration, Exception e)
        where T : class =>
        new(e is TimeoutException
            ? ProbeStatus.Failed(source.Name, started,
                $"{source.Name} did not finish within {source.Timeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} s", duration)
                with { TimedOut = true }
            : ProbeStatus.Failed(source.Name, started, e.Message, duration), null);
}
