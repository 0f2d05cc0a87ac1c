using OneKvm.Cgroups;
using OneKvm.Libvirt;

namespace OneKvm.Probes.Sampling;

/// <summary>
/// The libvirt domain source of one process: every consumer (MONITOR_VM, STATE_VM, poll, the wild
/// VMs of SYSTEM_HOST, the cgroup audit, the exporter's VM families, the daemon socket) reads the
/// domains through it, and it reads its <see cref="IDomainSnapshotSource"/> at most once per
/// <see cref="MaxAge"/> (<see cref="SourceSampler{T}"/>): a process whose consumers fall due together
/// makes one stats call, and two NOWAIT calls of the same process never blank each other's block
/// stats. A domain event (started, suspended, stopped…) makes every snapshot taken before it stale at once.
/// <para>Each snapshot carries the QEMU processes' memory of the same read and each domain's CPU
/// (<see cref="DomainEntry.CpuPercent"/>), measured once by the source: the process's own
/// (<see cref="LocalDomainSnapshotSource"/>), or the host daemon's when the process reads the daemon's
/// snapshots, so every consumer of one snapshot, in every process, reports the same CPU and memory.</para>
/// </summary>
public sealed class DomainSampler : IDisposable
{
    /// <summary>A shorter interval gives too coarse a CPU figure (cpu.time moves in scheduler ticks); an older baseline is kept instead.</summary>
    public static TimeSpan MinCpuWindow { get; } = TimeSpan.FromSeconds(1);

    private readonly SourceSampler<DomainSnapshot> sampler;
    private readonly IDisposable events;

    /// <param name="source">Where the snapshots come from.</param>
    /// <param name="time">The clock.</param>
    public DomainSampler(IDomainSnapshotSource source, TimeProvider time)
    {
        Source = source;
        sampler = new SourceSampler<DomainSnapshot>("domains", source.ReadAsync, s => s.TakenAt, time);
        events = source.Libvirt.Events.Subscribe(_ => sampler.Invalidate());
    }

    /// <summary>A sampler of the process's own reads (<see cref="LocalDomainSnapshotSource"/>).</summary>
    /// <param name="libvirt">The process's libvirt client.</param>
    /// <param name="time">The clock.</param>
    /// <param name="paths">Where <c>/proc</c> is, for the QEMU processes' memory read with each snapshot (null: not read).</param>
    public DomainSampler(ILibvirtClient libvirt, TimeProvider time, HostPaths? paths = null)
        : this(new LocalDomainSnapshotSource(libvirt, time, paths), time)
    {
    }

    /// <summary>How long a snapshot is handed out again (the shortest period of the process's consumers, minus a margin).</summary>
    public TimeSpan MaxAge
    {
        get => sampler.MaxAge;
        init => sampler.MaxAge = value;
    }

    /// <summary>Where the snapshots come from.</summary>
    public IDomainSnapshotSource Source { get; }

    /// <summary>The libvirt client of the process.</summary>
    public ILibvirtClient Libvirt => Source.Libvirt;

    /// <summary>Number of source reads made so far.</summary>
    public int Reads => sampler.Reads;

    /// <summary>
    /// A snapshot taken at or after <paramref name="notBefore"/> (default: now minus <see cref="MaxAge"/>):
    /// the latest one when it is recent enough, else one new read shared with concurrent callers.
    /// </summary>
    /// <exception cref="LibvirtException">the read failed (libvirtd unreachable, deadline).</exception>
    public Task<DomainSnapshot> ReadAsync(CancellationToken cancellationToken, DateTimeOffset? notBefore = null) =>
        sampler.ReadAsync(cancellationToken, notBefore);

    public void Dispose() => events.Dispose();
}
