using OneKvm.Cgroups;
using OneKvm.Libvirt.Domain;
using OneKvm.Probes.Audit;
using OneKvm.Probes.Host;

namespace OneKvm.Probes.Sampling;

/// <summary>
/// The host sample of one process: one <see cref="SourceSampler{T}"/> per source, each read at most
/// once per <see cref="MaxAge"/> for all consumers, and <see cref="ReadAsync"/> for the whole
/// <see cref="HostSnapshot"/> of a tick. The cgroup source is read from the domain and kernel
/// snapshots of the same tick (the domains' list, XML and the host's load are not read again), and
/// a domain event makes both the domain and the cgroup snapshots stale.
/// </summary>
public sealed class HostSampler : IDisposable
{
    private readonly TimeProvider time;
    private readonly SemaphoreSlim cgroupRead = new(1, 1);
    private readonly IDisposable events;

    /// <param name="domains">The process's domain source.</param>
    /// <param name="paths">Where the host's files are.</param>
    /// <param name="definitions">The process's domain definitions (the cgroup source's XML).</param>
    /// <param name="time">The clock.</param>
    public HostSampler(DomainSampler domains, HostPaths paths, DomainDefinitionCache definitions, TimeProvider time)
    {
        this.time = time;
        Domains = domains;
        Kernel = new SourceSampler<KernelSnapshot>("kernel", _ => Task.FromResult(KernelSnapshot.Read(paths, time)), s => s.TakenAt, time);
        Datastores = new SourceSampler<DatastoreSnapshot>("datastores", async ct =>
        {
            var kernel = await Kernel.ReadAsync(ct);
            var mounts = kernel.Require(kernel.Mounts, KernelSnapshot.MountsPart);
            return new DatastoreSnapshot(time.GetUtcNow(), DatastoreReader.Read(paths, mounts));
        }, s => s.TakenAt, time);
        var reader = new CgroupSnapshotReader(paths, definitions, time);
        Cgroups = new SourceSampler<CgroupSnapshot>("cgroups", async ct =>
        {
            var domainSnapshot = await Domains.ReadAsync(ct);
            var kernel = await Kernel.ReadAsync(ct);
            await cgroupRead.WaitAsync(ct); // the reader keeps what it knows of each domain's run: one read at a time
            try
            {
                return await reader.ReadAsync(domainSnapshot, kernel, ct);
            }
            finally
            {
                cgroupRead.Release();
            }
        }, s => s.Timestamp, time);
        events = domains.Libvirt.Events.Subscribe(_ => Cgroups.Invalidate());
    }

    /// <summary>The host sample of a process whose every source (the domains included) is shared for <paramref name="maxAge"/>.</summary>
    public static HostSampler Create(OneKvm.Libvirt.ILibvirtClient libvirt, HostPaths paths, DomainDefinitionCache definitions, TimeProvider time, TimeSpan maxAge) =>
        Create(new LocalDomainSnapshotSource(libvirt, time, paths), paths, definitions, time, maxAge);

    /// <summary>The host sample of a process whose domain snapshots come from <paramref name="domains"/>, every source shared for <paramref name="maxAge"/>.</summary>
    public static HostSampler Create(IDomainSnapshotSource domains, HostPaths paths, DomainDefinitionCache definitions, TimeProvider time, TimeSpan maxAge) =>
        new(new DomainSampler(domains, time) { MaxAge = maxAge }, paths, definitions, time) { MaxAge = maxAge };

    public DomainSampler Domains { get; }

    public SourceSampler<KernelSnapshot> Kernel { get; }

    public SourceSampler<CgroupSnapshot> Cgroups { get; }

    public SourceSampler<DatastoreSnapshot> Datastores { get; }

    /// <summary>How long each source's snapshot is handed out again (the domains' is set where the <see cref="DomainSampler"/> is made).</summary>
    public TimeSpan MaxAge
    {
        get => Kernel.MaxAge;
        init
        {
            Kernel.MaxAge = value;
            Cgroups.MaxAge = value;
            Datastores.MaxAge = value;
        }
    }

    /// <summary>Every source's snapshot, each no older than its <see cref="SourceSampler{T}.MaxAge"/>; a failing source is a failed part.</summary>
    public async Task<HostSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var kernel = Part(Kernel.ReadAsync(cancellationToken));
        var domains = Part(Domains.ReadAsync(cancellationToken));
        var datastores = Part(Datastores.ReadAsync(cancellationToken));
        await Task.WhenAll(kernel, domains, datastores);
        var cgroups = await Part(Cgroups.ReadAsync(cancellationToken));
        return new HostSnapshot(time.GetUtcNow(), await domains, await kernel, cgroups, await datastores);
    }

    public void Dispose()
    {
        events.Dispose();
        cgroupRead.Dispose();
    }

    private static async Task<SourceReading<T>> Part<T>(Task<T> read)
        where T : class
    {
        try
        {
            return SourceReading.Of(await read);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return SourceReading.Failed<T>(e.Message);
        }
    }
}
