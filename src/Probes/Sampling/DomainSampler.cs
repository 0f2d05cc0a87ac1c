using OneKvm.Cgroups;
using OneKvm.Cgroups.Proc;
using OneKvm.Libvirt;
using OneKvm.Probes.Host.Kernel;

namespace OneKvm.Probes.Sampling;

/// <summary>
/// The libvirt domain source of one process: every consumer (MONITOR_VM, STATE_VM, poll, the wild
/// VMs of SYSTEM_HOST, the cgroup audit, the exporter's VM families, the daemon socket) reads the
/// domains through it, and it asks libvirt at most once per <see cref="MaxAge"/>
/// (<see cref="SourceSampler{T}"/>): a process whose consumers fall due together makes one stats
/// call, and two NOWAIT calls of the same process never blank each other's block stats. A domain
/// event (started, suspended, stopped…) makes every snapshot taken before it stale at once.
/// <para>Each snapshot carries the QEMU processes' memory of the same read and each domain's CPU
/// measured from the process's previous read at least <see cref="MinCpuWindow"/> older
/// (<see cref="DomainCpu"/>), so every consumer of one snapshot reports the same CPU and memory.</para>
/// </summary>
public sealed class DomainSampler : IDisposable
{
    /// <summary>A shorter interval gives too coarse a CPU figure (cpu.time moves in scheduler ticks); an older baseline is kept instead.</summary>
    public static TimeSpan MinCpuWindow { get; } = TimeSpan.FromSeconds(1);

    private readonly ILibvirtClient libvirt;
    private readonly TimeProvider time;
    private readonly HostPaths? paths;
    private readonly SourceSampler<DomainSnapshot> sampler;
    private readonly IDisposable events;
    private readonly Lock baselineGate = new();
    private readonly List<CpuSampleFile> baselines = [];

    /// <param name="libvirt">The process's libvirt client.</param>
    /// <param name="time">The clock.</param>
    /// <param name="paths">Where <c>/proc</c> is, for the QEMU processes' memory read with each snapshot (null: not read).</param>
    public DomainSampler(ILibvirtClient libvirt, TimeProvider time, HostPaths? paths = null)
    {
        this.paths = paths;
        this.libvirt = libvirt;
        this.time = time;
        sampler = new SourceSampler<DomainSnapshot>("domains", ReadNowAsync, s => s.TakenAt, time);
        events = libvirt.Events.Subscribe(_ => sampler.Invalidate());
    }

    /// <summary>How long a snapshot is handed out again (the shortest period of the process's consumers, minus a margin).</summary>
    public TimeSpan MaxAge
    {
        get => sampler.MaxAge;
        init => sampler.MaxAge = value;
    }

    /// <summary>The libvirt client every read goes through.</summary>
    public ILibvirtClient Libvirt => libvirt;

    /// <summary>Number of stats calls made so far.</summary>
    public int Reads => sampler.Reads;

    /// <summary>
    /// A snapshot taken at or after <paramref name="notBefore"/> (default: now minus <see cref="MaxAge"/>):
    /// the latest one when it is recent enough, else one new read shared with concurrent callers.
    /// </summary>
    /// <exception cref="LibvirtException">the read failed (libvirtd unreachable, deadline).</exception>
    public Task<DomainSnapshot> ReadAsync(CancellationToken cancellationToken, DateTimeOffset? notBefore = null) =>
        sampler.ReadAsync(cancellationToken, notBefore);

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

    private async Task<DomainSnapshot> ReadNowAsync(CancellationToken cancellationToken)
    {
        var snapshot = await DomainSnapshotReader.ReadAsync(libvirt, time, cancellationToken);
        if (paths is not null) snapshot = WithMemory(snapshot, paths);
        return WithCpu(snapshot);
    }

    /// <summary>Measures the CPU from the newest earlier read at least <see cref="MinCpuWindow"/> older, and keeps this read as a later baseline.</summary>
    private DomainSnapshot WithCpu(DomainSnapshot snapshot)
    {
        var limit = (snapshot.TakenAt - MinCpuWindow).ToUnixTimeMilliseconds();
        lock (baselineGate)
        {
            var baseline = baselines.LastOrDefault(b => b.TakenAtUnixMs <= limit);
            // Older baselines than the one used are never needed again; a few younger ones wait their turn.
            if (baseline is not null) baselines.RemoveRange(0, baselines.IndexOf(baseline));
            baselines.Add(DomainCpu.Baseline(snapshot));
            if (baselines.Count > 16) baselines.RemoveAt(0);
            return baseline is null ? snapshot : DomainCpu.Measure(baseline, snapshot);
        }
    }
}
