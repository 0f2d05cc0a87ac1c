using OneKvm.Probes.Audit;

namespace OneKvm.Probes.Sampling;

/// <summary>One source's part of a <see cref="HostSnapshot"/>: its snapshot, or why it could not be read.</summary>
/// <typeparam name="T">The source's snapshot type.</typeparam>
/// <param name="Value">The snapshot; null exactly when <paramref name="Error"/> is set.</param>
/// <param name="Error">The read's error (names the file, the libvirt URI, …).</param>
public sealed record SourceReading<T>(T? Value, string? Error)
    where T : class
{
    public bool Success => Value is not null;
}

/// <summary>Makes <see cref="SourceReading{T}"/> values.</summary>
public static class SourceReading
{
    public static SourceReading<T> Of<T>(T value)
        where T : class => new(value, null);

    public static SourceReading<T> Failed<T>(string error)
        where T : class => new(null, error);
}

/// <summary>
/// Everything the host is at one tick, read once for every consumer: the typed snapshot of each
/// source (<see cref="HostSampler"/>). OpenNebula's categories, the Prometheus families and the
/// cgroup audit are functions of these; a source that failed is missing here with its error, the
/// others are still there.
/// </summary>
/// <param name="TakenAt">When the tick's reads ended.</param>
/// <param name="Domains">libvirt's one stats read of the active domains, with their QEMU memory and CPU.</param>
/// <param name="Kernel">The kernel's /proc and /sys files.</param>
/// <param name="Cgroups">The running domains' cgroups, promises and vCPUs.</param>
/// <param name="Datastores">The datastore location.</param>
public sealed record HostSnapshot(
    DateTimeOffset TakenAt,
    SourceReading<DomainSnapshot> Domains,
    SourceReading<KernelSnapshot> Kernel,
    SourceReading<CgroupSnapshot> Cgroups,
    SourceReading<DatastoreSnapshot> Datastores);
