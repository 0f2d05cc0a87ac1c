using OneKvm.Libvirt;
using OneKvm.Libvirt.Domain;

namespace OneKvm.Probes.Sampling;

/// <summary>
/// Keeps each domain's parsed XML for the life of the process, so <c>virDomainGetXMLDesc</c> is called only for
/// a domain that is new or changed, never every cycle. The change signal costs nothing: it is read
/// from the bulk <c>domstats</c> record already in hand — the runtime domain id (new on every
/// start), the number of disks and NICs (hot-plug), the vCPU maximum and the balloon maximum.
/// Edits that change none of these (a new title) are picked up after
/// <see cref="MaxAge"/>. Entries of domains not seen in the last snapshot are dropped.
/// <para>
/// Not persisted for <c>--once</c>: in the <c>--once</c> categories only the wild VMs of
/// SYSTEM_HOST (600 s period, usually a handful of domains) need the XML, and a copy on disk
/// could not be validated more cheaply than by reading it again.
/// </para>
/// </summary>
public sealed class DomainXmlCache
{
    private readonly Dictionary<string, (Signal Signal, DateTimeOffset FetchedAt, DomainDefinition Xml)> _entries =
        new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>How long an unchanged entry is trusted.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Number of XML reads made so far (for tests and diagnostics).</summary>
    public int Fetches { get; private set; }

    /// <summary>Returns the XML of <paramref name="domain"/>, fetching it only when new, changed or old.</summary>
    /// <exception cref="LibvirtException">the XML could not be read (e.g. the domain vanished).</exception>
    /// <exception cref="FormatException">the XML is not a valid domain XML.</exception>
    public async Task<DomainDefinition> GetAsync(ILibvirtClient libvirt, DomainEntry domain, TimeProvider time, CancellationToken cancellationToken)
    {
        var signal = Signal.Of(domain);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_entries.TryGetValue(domain.Uuid, out var e) && e.Signal == signal && now - e.FetchedAt < MaxAge)
                return e.Xml;
        }
        var text = await libvirt.GetDomainXmlAsync(domain.Uuid, cancellationToken);
        var xml = DomainDefinition.Parse(text, $"domain XML of {domain.Uuid} ({domain.Name})");
        lock (_lock)
        {
            Fetches++;
            _entries[domain.Uuid] = (signal, now, xml);
        }
        return xml;
    }

    /// <summary>Forgets domains that are no longer active.</summary>
    public void Retain(IEnumerable<DomainEntry> active)
    {
        var keep = active.Select(d => d.Uuid).ToHashSet(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var uuid in _entries.Keys.Where(k => !keep.Contains(k)).ToList()) _entries.Remove(uuid);
        }
    }

    private readonly record struct Signal(int? Id, int? Nets, int? Blocks, uint? VcpuMax, ulong? BalloonMax)
    {
        public static Signal Of(DomainEntry d) => new(
            d.Id, d.Stats.Nets?.Count, d.Stats.Blocks?.Count, d.Stats.Vcpu?.Maximum, d.Stats.Balloon?.MaximumKiB);
    }
}
