using OneKvm.Libvirt;

namespace OneKvm.Probes.Sampling;

/// <summary>
/// Where a process's <see cref="DomainSampler"/> gets its domain snapshots from: its own libvirt
/// and <c>/proc</c> (<see cref="LocalDomainSnapshotSource"/>), or the host daemon's shared snapshot
/// (the collector's socket client), so every process on the host reports the same CPU and memory.
/// </summary>
public interface IDomainSnapshotSource
{
    /// <summary>The process's libvirt client (its events make the sampler's snapshots stale).</summary>
    ILibvirtClient Libvirt { get; }

    /// <summary>
    /// One snapshot with its QEMU memory and CPU; taken at or after <paramref name="notBefore"/>
    /// when given (a consumer that needs a newer one than the source would hand out).
    /// </summary>
    /// <exception cref="LibvirtException">the read failed (libvirtd or the daemon unreachable, deadline).</exception>
    Task<DomainSnapshot> ReadAsync(DateTimeOffset? notBefore, CancellationToken cancellationToken);
}
