using System.IO.Compression;
using OneKvm.Collector.Pipeline;

namespace OneKvm.Collector.Exporter;

/// <summary>One text exposition and its gzip encoding, built together from one snapshot set.</summary>
public sealed record Exposition(byte[] Plain, byte[] Gzip, long Generation)
{
    public static Exposition Empty { get; } = new([], [], -1);
}

/// <summary>
/// The text exposition of the latest <see cref="SnapshotSet"/>, built (and gzip-compressed) once per
/// set generation and then handed out as the same bytes to every scrape: scrapes never collect or
/// compress, and concurrent scrapes within one tick get identical, complete bodies.
/// </summary>
public sealed class ExpositionCache(SnapshotExporter exporter) : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private SnapshotSet latest = SnapshotSet.Empty;
    private Exposition built = Exposition.Empty;

    /// <summary>Records a new snapshot set (called by the pipeline; cheap).</summary>
    public void Update(SnapshotSet set) => Volatile.Write(ref latest, set);

    /// <summary>The latest snapshot set (the landing page and readiness read it).</summary>
    public SnapshotSet Latest => Volatile.Read(ref latest);

    /// <summary>The uncompressed exposition of the latest set.</summary>
    public async Task<byte[]> GetAsync(CancellationToken cancellationToken) => (await GetExpositionAsync(cancellationToken)).Plain;

    /// <summary>The exposition of the latest set, plain and gzipped.</summary>
    public async Task<Exposition> GetExpositionAsync(CancellationToken cancellationToken)
    {
        var set = Volatile.Read(ref latest);
        var current = Volatile.Read(ref built);
        if (current.Generation == set.Generation) return current;
        await gate.WaitAsync(cancellationToken);
        try
        {
            set = Volatile.Read(ref latest);
            if (built.Generation == set.Generation) return built;
            exporter.Apply(set);
            using var buffer = new MemoryStream();
            await exporter.Registry.CollectAndExportAsTextAsync(buffer, cancellationToken);
            var plain = buffer.ToArray();
            using var compressed = new MemoryStream();
            await using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                await gzip.WriteAsync(plain, cancellationToken);
            }
            var exposition = new Exposition(plain, compressed.ToArray(), set.Generation);
            Volatile.Write(ref built, exposition);
            return exposition;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();
}
