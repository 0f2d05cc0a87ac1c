namespace OneKvm.Collector.Pipeline;

/// <summary>
/// How one tick of one source went, without its sample: what serve's health families and the log
/// need of every source, whatever the source's sample type.
/// </summary>
/// <param name="Source">Source name (a category name such as <c>monitor_vm</c>, <c>libvirt</c>, <c>vm_stats</c>).</param>
/// <param name="Time">When the tick started (from the injected <see cref="TimeProvider"/>).</param>
/// <param name="Error">Why the tick produced no sample (the text OpenNebula is told); null on success.</param>
/// <param name="Duration">How long the collection took (or until it was abandoned).</param>
public sealed record ProbeStatus(string Source, DateTimeOffset Time, string? Error, TimeSpan Duration)
{
    public bool Success => Error is null;

    /// <summary>What a successful sample lacks (a partial category, <see cref="OneKvm.Probes.PartialCategoryException"/>); empty when complete.</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];

    /// <summary>True when the source was abandoned at its timeout.</summary>
    public bool TimedOut { get; init; }

    public static ProbeStatus Ok(string source, DateTimeOffset time, TimeSpan duration) => new(source, time, null, duration);

    public static ProbeStatus Failed(string source, DateTimeOffset time, string error, TimeSpan duration) => new(source, time, error, duration);
}

/// <summary>The immutable result of one tick of one source: its typed sample, or the error that replaced it.</summary>
/// <typeparam name="T">The source's sample type.</typeparam>
/// <param name="Status">How the tick went.</param>
/// <param name="Sample">The sample; null exactly when the status has an error.</param>
public sealed record ProbeSnapshot<T>(ProbeStatus Status, T? Sample)
    where T : class
{
    public string Source => Status.Source;

    public DateTimeOffset Time => Status.Time;

    public bool Success => Status.Success;

    public string? Error => Status.Error;
}

/// <summary>Makes <see cref="ProbeSnapshot{T}"/> values.</summary>
public static class ProbeSnapshot
{
    public static ProbeSnapshot<T> Ok<T>(string source, DateTimeOffset time, T sample, TimeSpan duration)
        where T : class => new(ProbeStatus.Ok(source, time, duration), sample);

    public static ProbeSnapshot<T> Failed<T>(string source, DateTimeOffset time, string error, TimeSpan duration)
        where T : class => new(ProbeStatus.Failed(source, time, error, duration), null);
}
