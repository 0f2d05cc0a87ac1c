using System.IO.Compression;

namespace OneKvm.Collector.Exporter;

/// <summary>One text exposition and its gzip encoding, built together from one snapshot set (<paramref name="Set"/>).</summary>
public sealed record Exposition(byte[] Plain, byte[] Gzip, SnapshotSet Set, long Generation)
{
    public static Exposition Empty { get; } = new([], [], SnapshotSet.Empty, -1);
}

/// <summary>
/// The text exposition of the latest <see cref="SnapshotSet"/>, built (and gzip-compressed) when the
/// set arrives, off the scrape path, by one builder at a time: sets that arrive while a build runs
/// are coalesced into one more build of the newest. A scrape only hands out the bytes of the latest
/// finished build (it waits only for the very first one), so concurrent scrapes get identical,
/// complete bodies and never collect, map or compress.
/// </summary>
public sealed class ExpositionCache(SnapshotExporter exporter) : IDisposable
{
    private readonly Lock gate = new();
    private readonly TaskCompletionSource first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(long Update, TaskCompletionSource Built)> waiting = [];
    private SnapshotSet latest = SnapshotSet.Empty;
    private long updates;
    private Exposition built = Exposition.Empty;
    private bool building;

    /// <summary>
    /// Records a new snapshot set and starts building its exposition (or marks it for the running
    /// builder); returns at once. The task completes when the exposition of this set, or of a newer
    /// one, is served; it fails when that build failed (the previous exposition is still served).
    /// </summary>
    public Task Update(SnapshotSet set)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            latest = set;
            waiting.Add((++updates, done));
            if (building) return done.Task;
            building = true;
        }
        _ = Task.Run(BuildPendingAsync);
        return done.Task;
    }

    /// <summary>The latest snapshot set recorded (its exposition may still be building).</summary>
    public SnapshotSet Latest
    {
        get
        {
            lock (gate) return latest;
        }
    }

    /// <summary>The snapshot set /metrics serves now (the landing page and readiness read it, so they agree with a scrape).</summary>
    public SnapshotSet Served => Volatile.Read(ref built).Set;

    /// <summary>The uncompressed exposition of the latest built set.</summary>
    public async Task<byte[]> GetAsync(CancellationToken cancellationToken) => (await GetExpositionAsync(cancellationToken)).Plain;

    /// <summary>The exposition of the latest built set, plain and gzipped; waits only until the first set is built.</summary>
    public async Task<Exposition> GetExpositionAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref built);
        if (current.Generation >= 0) return current;
        await first.Task.WaitAsync(cancellationToken);
        return Volatile.Read(ref built);
    }

    /// <summary>Builds the newest set until no newer one arrived during a build.</summary>
    private async Task BuildPendingAsync()
    {
        while (true)
        {
            SnapshotSet set;
            long update;
            lock (gate)
            {
                set = latest;
                update = updates;
            }
            Exception? failure = null;
            try
            {
                var exposition = await BuildAsync(set);
                Volatile.Write(ref built, exposition);
                first.TrySetResult();
            }
            catch (Exception e)
            {
                failure = e;
            }
            List<TaskCompletionSource> finished;
            bool idle;
            lock (gate)
            {
                finished = [.. waiting.Where(w => w.Update <= update).Select(w => w.Built)];
                waiting.RemoveAll(w => w.Update <= update);
                idle = updates == update; // decided under the lock: an Update after this starts its own builder
                if (idle) building = false;
            }
            foreach (var f in finished)
            {
                if (failure is null) f.TrySetResult();
                else f.TrySetException(failure);
            }
            if (idle) return;
        }
    }

    private async Task<Exposition> BuildAsync(SnapshotSet set)
    {
        exporter.Apply(set);
        using var buffer = new MemoryStream();
        await exporter.Registry.CollectAndExportAsTextAsync(buffer);
        var plain = buffer.ToArray();
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            await gzip.WriteAsync(plain);
        }
        return new Exposition(plain, compressed.ToArray(), set, set.Generation);
    }

    public void Dispose() => first.TrySetCanceled();
}
