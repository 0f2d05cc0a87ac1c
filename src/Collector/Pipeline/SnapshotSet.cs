using System.Collections.Immutable;

namespace OneKvm.Collector.Pipeline;

/// <summary>
/// The latest snapshot of every source and the latest successful one, as an immutable value: the
/// exporter serves from one of these, so a scrape never collects anything.
/// </summary>
public sealed record SnapshotSet(
    ImmutableSortedDictionary<string, ProbeSnapshot> Latest,
    ImmutableSortedDictionary<string, ProbeSnapshot> LastSuccess,
    long Generation)
{
    public static SnapshotSet Empty { get; } = new(
        ImmutableSortedDictionary<string, ProbeSnapshot>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableSortedDictionary<string, ProbeSnapshot>.Empty.WithComparers(StringComparer.Ordinal),
        0);

    /// <summary>The set with <paramref name="snapshot"/> recorded (pure; use it in <c>Scan</c>).</summary>
    public SnapshotSet With(ProbeSnapshot snapshot) => new(
        Latest.SetItem(snapshot.Source, snapshot),
        snapshot.Success ? LastSuccess.SetItem(snapshot.Source, snapshot) : LastSuccess,
        Generation + 1);

    /// <summary>The latest sample of type <typeparamref name="T"/> from a source that currently succeeds.</summary>
    public IEnumerable<T> CurrentSamples<T>() =>
        Latest.Values.Where(s => s.Success).Select(s => s.Sample).OfType<T>();
}
