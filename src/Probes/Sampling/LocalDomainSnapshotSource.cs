using OneKvm.Cgroups;
using OneKvm.Cgroups.Proc;
using OneKvm.Libvirt;
using OneKvm.Probes.Host.Kernel;

namespace OneKvm.Probes.Sampling;

/// <summary>
/// The process's own domain snapshots: one bulk stats call (<see cref="DomainSnapshotReader"/>),
/// the QEMU processes' memory read through <c>/proc</c> right after it, and each domain's CPU
/// measured from this source's previous read at least <see cref="DomainSampler.MinCpuWindow"/> older
/// (<see cref="DomainCpu"/>). Every read is a new one (<c>notBefore</c> holds by construction).
/// </summary>
/// <param name="libvirt">The process's libvirt client.</param>
/// <param name="time">The clock.</param>
/// <param name="paths">Where <c>/proc</c> is, for the QEMU processes' memory (null: not read).</param>
public sealed class LocalDomainSnapshotSource(ILibvirtClient libvirt, TimeProvider time, HostPaths? paths = null) : IDomainSnapshotSource
{
    private readonly Lock baselineGate = new();
    private readonly List<CpuSampleFile> baselines = [];

    public ILibvirtClient Libvirt => libvirt;

    public async Task<DomainSnapshot> ReadAsync(DateTimeOffset? notBefore, CancellationToken cancellationToken)
    {
        var snapshot = await DomainSnapshotReader.ReadAsync(libvirt, time, cancellationToken);
        if (paths is not null) snapshot = WithMemory(snapshot, paths);
        return WithCpu(snapshot);
    }

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

    /// <summary>Measures the CPU from the newest earlier read at least <see cref="DomainSampler.MinCpuWindow"/> older, and keeps this read as a later baseline.</summary>
    private DomainSnapshot WithCpu(DomainSnapshot snapshot)
    {
        var limit = (snapshot.TakenAt - DomainSampler.MinCpuWindow).ToUnixTimeMilliseconds();
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
