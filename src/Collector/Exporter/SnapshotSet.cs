using System.Collections.Immutable;
using OneKvm.Collector.Pipeline;

namespace OneKvm.Collector.Exporter;

/// <summary>
/// What serve exposes, as an immutable value: the latest status of every source, the latest
/// successful one, and the exporter's input of the latest host tick. The exposition is built from
/// one of these, so a scrape never collects anything.
/// </summary>
public sealed record SnapshotSet(
    ImmutableSortedDictionary<string, ProbeStatus> Latest,
    ImmutableSortedDictionary<string, ProbeStatus> LastSuccess,
    ExporterInput Input,
    long Generation)
{
    public static SnapshotSet Empty { get; } = new(
        ImmutableSortedDictionary<string, ProbeStatus>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableSortedDictionary<string, ProbeStatus>.Empty.WithComparers(StringComparer.Ordinal),
        ExporterInput.Empty,
        0);

    /// <summary>The set with <paramref name="status"/> recorded (pure; use it in <c>Scan</c>).</summary>
    public SnapshotSet With(ProbeStatus status) => new(
        Latest.SetItem(status.Source, status),
        status.Success ? LastSuccess.SetItem(status.Source, status) : LastSuccess,
        Input,
        Generation + 1);

    /// <summary>The set with a host tick's projection: its input replaces the previous one, its statuses are recorded.</summary>
    public SnapshotSet With(ExporterUpdate update)
    {
        var latest = Latest.SetItems(update.Statuses.Select(s => KeyValuePair.Create(s.Source, s)));
        var lastSuccess = LastSuccess.SetItems(update.Statuses.Where(s => s.Success).Select(s => KeyValuePair.Create(s.Source, s)));
        return new SnapshotSet(latest, lastSuccess, update.Input, Generation + 1);
    }
}
