namespace OneKvm.Probes.Sampling;

/// <summary>
/// One source of the host sample (libvirt's domain stats, the kernel's /proc and /sys files, the
/// VMs' cgroups, the datastores), read at most once per <see cref="MaxAge"/> for every consumer of
/// the process: a snapshot younger than that is handed out again, and consumers asking while a read
/// is in flight share that read. <see cref="Invalidate"/> (a domain event) makes every snapshot taken
/// before it stale at once. Snapshots are immutable; a failed read is not kept (the next consumer
/// reads again).
/// </summary>
/// <typeparam name="T">The source's immutable snapshot type.</typeparam>
public sealed class SourceSampler<T>
    where T : class
{
    private readonly Lock gate = new();
    private readonly Func<DateTimeOffset?, CancellationToken, Task<T>> read;
    private readonly Func<T, DateTimeOffset> takenAt;
    private readonly TimeProvider time;
    private T? latest;
    private Task<T>? inFlight;
    private long generation;
    private int reads;

    /// <param name="name">The source's name (<c>domains</c>, <c>kernel</c>, <c>cgroups</c>, <c>datastores</c>).</param>
    /// <param name="read">One read of the source; it receives no caller's token (the read is shared), so it must bound itself.</param>
    /// <param name="takenAt">When a snapshot was taken.</param>
    /// <param name="time">The clock.</param>
    public SourceSampler(string name, Func<CancellationToken, Task<T>> read, Func<T, DateTimeOffset> takenAt, TimeProvider time)
        : this(name, (_, ct) => read(ct), takenAt, time)
    {
    }

    /// <param name="name">The source's name.</param>
    /// <param name="read">One read of the source, given the caller's explicit <c>notBefore</c> (null: none), for a source
    /// that can hand out snapshots older than the call (the host daemon's); it receives no caller's token, so it must bound itself.</param>
    /// <param name="takenAt">When a snapshot was taken.</param>
    /// <param name="time">The clock.</param>
    public SourceSampler(string name, Func<DateTimeOffset?, CancellationToken, Task<T>> read, Func<T, DateTimeOffset> takenAt, TimeProvider time)
    {
        Name = name;
        this.read = read;
        this.takenAt = takenAt;
        this.time = time;
    }

    public string Name { get; }

    /// <summary>How long a snapshot is handed out again (the shortest period of the process's consumers, minus a margin).</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.Zero;

    /// <summary>Number of reads made so far.</summary>
    public int Reads => Volatile.Read(ref reads);

    /// <summary>The newest snapshot kept (null before the first read, after a failure or an invalidation).</summary>
    public T? Latest
    {
        get
        {
            lock (gate) return latest;
        }
    }

    /// <summary>
    /// A snapshot taken at or after <paramref name="notBefore"/> (default: now minus <see cref="MaxAge"/>):
    /// the latest one when it is recent enough, else one new read shared with concurrent callers.
    /// </summary>
    public async Task<T> ReadAsync(CancellationToken cancellationToken, DateTimeOffset? notBefore = null)
    {
        var limit = notBefore ?? time.GetUtcNow() - MaxAge;
        Task<T> task;
        lock (gate)
        {
            if (latest is { } l && takenAt(l) >= limit) return l;
            task = inFlight ??= ReadNowAsync(generation, notBefore, shared: true);
        }
        var snapshot = await task.WaitAsync(cancellationToken);
        if (notBefore is not { } explicitLimit || takenAt(snapshot) >= explicitLimit) return snapshot;
        // The shared read was asked for an older limit and its source handed out an older snapshot: one read for this limit.
        lock (gate) task = ReadNowAsync(generation, notBefore, shared: false);
        return await task.WaitAsync(cancellationToken);
    }

    /// <summary>Forgets the latest snapshot and detaches a read in flight: the next consumer reads anew.</summary>
    public void Invalidate()
    {
        lock (gate)
        {
            generation++;
            latest = null;
            inFlight = null; // a read that started before the change is not handed out again
        }
    }

    private async Task<T> ReadNowAsync(long startedAt, DateTimeOffset? notBefore, bool shared)
    {
        await Task.Yield(); // started under the lock
        try
        {
            Interlocked.Increment(ref reads);
            var snapshot = await read(notBefore, CancellationToken.None);
            lock (gate)
            {
                // A change during the read may not be in it: hand the snapshot to this read's callers only.
                if (generation == startedAt && (latest is null || takenAt(snapshot) >= takenAt(latest))) latest = snapshot;
            }
            return snapshot;
        }
        finally
        {
            lock (gate)
            {
                if (shared && generation == startedAt) inFlight = null;
            }
        }
    }
}
