using OneKvm.Collector.Pipeline;

namespace OneKvm.Collector.Exporter;

/// <summary>
/// The text exposition of the latest <see cref="SnapshotSet"/>, built once per set generation and
/// then handed out as the same bytes to every scrape: scrapes never collect, and concurrent scrapes
/// within one tick get identical, complete bodies.
/// </summary>
public sealed class ExpositionCache(SnapshotExporter exporter) : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private SnapshotSet latest = SnapshotSet.Empty;
    private long builtGeneration = -1;
    private byte[] body = [];

    /// <summary>Records a new snapshot set (called by the pipeline; cheap).</summary>
    public void Update(SnapshotSet set) => Volatile.Write(ref latest, set);

    /// <summary>The exposition of the latest set.</summary>
    public async Task<byte[]> GetAsync(CancellationToken cancellationToken)
    {
        var set = Volatile.Read(ref latest);
        if (Volatile.Read(ref builtGeneration) == set.Generation) return Volatile.Read(ref body);
        await gate.WaitAsync(cancellationToken);
        try
        {
            set = Volatile.Read(ref latest);
            if (builtGeneration == set.Generation) return body;
            exporter.Apply(set);
            using var buffer = new MemoryStream();
            await exporter.Registry.CollectAndExportAsTextAsync(buffer, cancellationToken);
            Volatile.Write(ref body, buffer.ToArray());
            Volatile.Write(ref builtGeneration, set.Generation);
            return body;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();
}
