using System.Reactive.Disposables;
using System.Reactive.Linq;

namespace OneKvm.Collector.Pipeline;

/// <summary>Generic Rx operators the pipeline needs and System.Reactive does not ship.</summary>
internal static class RxOperators
{
    /// <summary>
    /// Projects each element to an inner sequence, ignoring elements that arrive while the previous
    /// inner sequence is still running (so ticks of one source never overlap and never queue up).
    /// </summary>
    public static IObservable<TResult> ExhaustMap<T, TResult>(this IObservable<T> source, Func<T, IObservable<TResult>> selector) =>
        Observable.Create<TResult>(observer =>
        {
            var busy = 0;
            var gate = new Lock();
            var current = new SerialDisposable();
            var outer = source.Subscribe(
                value =>
                {
                    if (Interlocked.CompareExchange(ref busy, 1, 0) != 0) return;
                    var inner = new SingleAssignmentDisposable();
                    current.Disposable = inner;
                    inner.Disposable = selector(value).Subscribe(
                        result => { lock (gate) observer.OnNext(result); },
                        error => { lock (gate) observer.OnError(error); },
                        () => Volatile.Write(ref busy, 0));
                },
                error => { lock (gate) observer.OnError(error); },
                () => { lock (gate) observer.OnCompleted(); });
            return new CompositeDisposable(outer, current);
        });

    /// <summary>Pairs each element with its predecessor: (e0,e1), (e1,e2), …</summary>
    public static IObservable<(T Previous, T Current)> Pairwise<T>(this IObservable<T> source) =>
        source.Buffer(2, 1).Where(pair => pair.Count == 2).Select(pair => (pair[0], pair[1]));
}
