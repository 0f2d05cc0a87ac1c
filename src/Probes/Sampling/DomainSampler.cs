using OneKvm.Libvirt;

namespace OneKvm.Probes.Sampling;

/// <summary>
/// The libvirt domain source of one process: every consumer (MONITOR_VM, STATE_VM, poll, the wild
/// VMs of SYSTEM_HOST, the exporter's VM families, the daemon socket) reads the domains through it,
/// and it asks libvirt at most once per <see cref="MaxAge"/>: a snapshot younger than that is
/// handed out again, and consumers asking while a read is in flight share that read. So a process
/// whose categories fall due together makes one stats call, and two NOWAIT calls of the same
/// process never blank each other's block stats.
/// </summary>
public sealed class DomainSampler(ILibvirtClient libvirt, TimeProvider time)
{
    private readonly Lock gate = new();
    private DomainSnapshot? latest;
    private Task<DomainSnapshot>? inFlight;

    /// <summary>How long a snapshot is handed out again (the shortest period of the process's consumers, minus a margin).</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.Zero;

    /// <summary>The libvirt client every read goes through.</summary>
    public ILibvirtClient Libvirt => libvirt;

    /// <summary>Number of stats calls made so far.</summary>
    public int Reads => Volatile.Read(ref reads);

    private int reads;

    /// <summary>
    /// A snapshot taken at or after <paramref name="notBefore"/> (default: now minus <see cref="MaxAge"/>):
    /// the latest one when it is recent enough, else one new read shared with concurrent callers.
    /// </summary>
    /// <exception cref="LibvirtException">the read failed (libvirtd unreachable, deadline).</exception>
    public Task<DomainSnapshot> ReadAsync(CancellationToken cancellationToken, DateTimeOffset? notBefore = null)
    {
        var limit = notBefore ?? time.GetUtcNow() - MaxAge;
        Task<DomainSnapshot> task;
        lock (gate)
        {
            if (latest is { } l && l.TakenAt >= limit)
                return Task.FromResult(l);
            task = inFlight ??= ReadNowAsync();
        }
        return task.WaitAsync(cancellationToken);
    }

    private async Task<DomainSnapshot> ReadNowAsync()
    {
        await Task.Yield();
        try
        {
            Interlocked.Increment(ref reads);
            // Not the caller's token: the read is shared, and one consumer giving up must not fail the others.
            var snapshot = await DomainSnapshotReader.ReadAsync(libvirt, time, CancellationToken.None);
            lock (gate) latest = snapshot;
            return snapshot;
        }
        finally
        {
            lock (gate) inFlight = null;
        }
    }
}
