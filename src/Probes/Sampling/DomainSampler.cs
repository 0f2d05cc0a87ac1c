using OneKvm.Cgroups;
using OneKvm.Cgroups.Proc;
using OneKvm.Libvirt;
using OneKvm.Probes.Host.Kernel;

namespace OneKvm.Probes.Sampling;

/// <summary>
/// The libvirt domain source of one process: every consumer (MONITOR_VM, STATE_VM, poll, the wild
/// VMs of SYSTEM_HOST, the exporter's VM families, the daemon socket) reads the domains through it,
/// and it asks libvirt at most once per <see cref="MaxAge"/>: a snapshot younger than that is
/// handed out again, and consumers asking while a read is in flight share that read. So a process
/// whose categories fall due together makes one stats call, and two NOWAIT calls of the same
/// process never blank each other's block stats. A domain event (started, suspended, stopped…)
/// makes every snapshot taken before it stale at once.
/// </summary>
public sealed class DomainSampler : IDisposable
{
    private readonly Lock gate = new();
    private readonly ILibvirtClient libvirt;
    private readonly TimeProvider time;
    private readonly IDisposable events;
    private DomainSnapshot? latest;
    private Task<DomainSnapshot>? inFlight;
    private long generation;
    private int reads;

    private readonly HostPaths? paths;

    /// <param name="libvirt">The process's libvirt client.</param>
    /// <param name="time">The clock.</param>
    /// <param name="paths">Where <c>/proc</c> is, for the QEMU processes' memory read with each snapshot (null: not read).</param>
    public DomainSampler(ILibvirtClient libvirt, TimeProvider time, HostPaths? paths = null)
    {
        this.paths = paths;
        this.libvirt = libvirt;
        this.time = time;
        events = libvirt.Events.Subscribe(_ =>
        {
            lock (gate)
            {
                generation++;
                latest = null;
                inFlight = null; // a read that started before the event is not asked again
            }
        });
    }

    /// <summary>How long a snapshot is handed out again (the shortest period of the process's consumers, minus a margin).</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.Zero;

    /// <summary>The libvirt client every read goes through.</summary>
    public ILibvirtClient Libvirt => libvirt;

    /// <summary>Number of stats calls made so far.</summary>
    public int Reads => Volatile.Read(ref reads);

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
            task = inFlight ??= ReadNowAsync(generation);
        }
        return task.WaitAsync(cancellationToken);
    }

    public void Dispose() => events.Dispose();

    /// <summary>Adds each domain's QEMU process memory (found through the proc root by UUID).</summary>
    public static DomainSnapshot WithMemory(DomainSnapshot snapshot, HostPaths paths)
    {
        var qemu = QemuProcessIndex.Scan(paths);
        return snapshot with
        {
            Domains = [.. snapshot.Domains.Select(d =>
                qemu.TryGetValue(d.Uuid, out var process) && ProcStatusParser.TryRead(paths, process.Pid, out var status) && status!.VmRssKiB is { } rss
                    ? d with { Memory = new QemuMemory(rss, status.VmSwapKiB ?? 0) }
                    : d)],
        };
    }

    private async Task<DomainSnapshot> ReadNowAsync(long startedAt)
    {
        await Task.Yield();
        try
        {
            Interlocked.Increment(ref reads);
            // Not the caller's token: the read is shared, and one consumer giving up must not fail the others.
            var snapshot = await DomainSnapshotReader.ReadAsync(libvirt, time, CancellationToken.None);
            if (paths is not null) snapshot = WithMemory(snapshot, paths);
            lock (gate)
            {
                // An event during the read may not be in it: hand the snapshot to this read's callers only.
                if (generation == startedAt) latest = snapshot;
            }
            return snapshot;
        }
        finally
        {
            lock (gate)
            {
                if (generation == startedAt) inFlight = null;
            }
        }
    }
}
