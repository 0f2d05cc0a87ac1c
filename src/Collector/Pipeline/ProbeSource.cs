namespace OneKvm.Collector.Pipeline;

/// <summary>What every source is, whatever its sample type: a name and a period (health, logs, benchmarks).</summary>
public interface IProbeSource
{
    string Name { get; }

    TimeSpan Period { get; }

    /// <summary>One collection whose sample is dropped (benchmarks time the sources this way).</summary>
    Task RunOnceAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Something the pipeline collects on its own timer: a category, the libvirt liveness check, the host sample.
/// </summary>
/// <typeparam name="T">The sample type of a tick.</typeparam>
/// <param name="Name">Source name, used as the <c>probe</c> label and the snapshot key.</param>
/// <param name="Period">Time between the starts of two ticks.</param>
/// <param name="Timeout">A tick still running after this is abandoned (its token cancelled) and reported failed.</param>
/// <param name="CollectAsync">Returns the typed sample or throws; the exception message becomes the snapshot's error.</param>
public sealed record ProbeSource<T>(
    string Name,
    TimeSpan Period,
    TimeSpan Timeout,
    Func<CancellationToken, Task<T>> CollectAsync) : IProbeSource
    where T : class
{
    /// <summary>What a sample lacks (a partial category); null: samples are always complete.</summary>
    public Func<T, IReadOnlyList<string>>? MissingOf { get; init; }

    /// <summary>Delay before the first tick (zero: at once).</summary>
    public TimeSpan FirstDue { get; init; } = TimeSpan.Zero;

    /// <summary>Extra ticks on demand (the agent's SIGUSR1 for system_host); skipped while a run is in progress.</summary>
    public IObservable<System.Reactive.Unit>? Trigger { get; init; }

    public Task RunOnceAsync(CancellationToken cancellationToken) => CollectAsync(cancellationToken);
}

/// <summary>Defaults shared by every <see cref="ProbeSource{T}"/>.</summary>
public static class ProbeSource
{
    /// <summary>The default timeout: the period (a tick never runs into the next one), at least one second.</summary>
    public static TimeSpan DefaultTimeout(TimeSpan period) =>
        period < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : period;
}
