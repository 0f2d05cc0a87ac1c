using OneKvm.Libvirt.Stats;

namespace OneKvm.Probes.Sampling;

/// <summary>
/// An active domain in one stats read. <c>Id</c> is libvirt's runtime domain id (it changes on every
/// start); <c>Uuid</c> is lower case. <see cref="Memory"/> is read in the same sample.
/// </summary>
public sealed record DomainEntry(string Name, string Uuid, int? Id, DomainStats Stats)
{
    /// <summary>The domain's QEMU process memory (<c>/proc/&lt;pid&gt;/status</c>); null when the process was not found.</summary>
    public QemuMemory? Memory { get; init; }

    /// <summary>CPU use since <see cref="DomainSnapshot.CpuSince"/>, percent of one host CPU (<see cref="DomainCpu"/>); null when not measured.</summary>
    public double? CpuPercent { get; init; }
}

/// <summary>
/// <c>VmRSS</c> and <c>VmSwap</c> of a domain's QEMU process, in KiB: the one source of a VM's host
/// memory. MONITOR_VM's <c>MEMORY</c> is <see cref="TotalKiB"/> (upstream's RSS + swap); the
/// exporter's <c>onekvm_vm_memory_rss_bytes</c> and <c>onekvm_vm_memory_swap_bytes</c> are its parts.
/// </summary>
public sealed record QemuMemory(long RssKiB, long SwapKiB)
{
    public long TotalKiB => RssKiB + SwapKiB;
}

/// <summary>Every active domain as seen by one bulk stats call, when it was taken, and what was wrong with the answer.</summary>
/// <param name="Domains">The domains, each UUID once.</param>
/// <param name="TakenAt">When the call returned.</param>
/// <param name="Warnings">Records skipped because they were not facts (duplicates, no UUID), one line each.</param>
public sealed record DomainSnapshot(IReadOnlyList<DomainEntry> Domains, DateTimeOffset TakenAt, IReadOnlyList<string> Warnings)
{
    public DomainSnapshot(IReadOnlyList<DomainEntry> domains, DateTimeOffset takenAt) : this(domains, takenAt, []) { }

    /// <summary>When the baseline of the domains' <see cref="DomainEntry.CpuPercent"/> was taken; null when no CPU was measured.</summary>
    public DateTimeOffset? CpuSince { get; init; }
}
