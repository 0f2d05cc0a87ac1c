namespace OneKvm.Collector.Pipeline;

/// <summary>
/// The immutable result of one tick of one source: its typed sample, or the error that replaced it.
/// </summary>
/// <param name="Source">Source name (a category name such as <c>monitor_vm</c>, or <c>libvirt</c>).</param>
/// <param name="Time">When the tick started (from the injected <see cref="TimeProvider"/>).</param>
/// <param name="Sample">The sample; null exactly when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the tick produced no sample (the text OpenNebula is told).</param>
/// <param name="Duration">How long the collection took (or until it was abandoned).</param>
public sealed record ProbeSnapshot(string Source, DateTimeOffset Time, object? Sample, string? Error, TimeSpan Duration)
{
    public bool Success => Error is null;

    /// <summary>What a successful sample lacks (a partial category, <see cref="OneKvm.Probes.PartialCategoryException"/>); empty when complete.</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];

    /// <summary>True when the source was abandoned at its timeout.</summary>
    public bool TimedOut { get; init; }

    public static ProbeSnapshot Ok(string source, DateTimeOffset time, object sample, TimeSpan duration) =>
        new(source, time, sample, null, duration);

    public static ProbeSnapshot Failed(string source, DateTimeOffset time, string error, TimeSpan duration) =>
        new(source, time, null, error, duration);
}
