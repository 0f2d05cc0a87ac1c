using OneKvm.Libvirt;

namespace OneKvm.Probes.Sampling;

/// <summary>
/// Reads every active domain with <b>one</b> <c>virConnectGetAllDomainStats</c> call of the groups
/// OneKvm's projections use (<see cref="DomainStatsGroups.Used"/>, <c>ACTIVE | NOWAIT</c>): each
/// record carries the domain's UUID, id and name, so no separate list is needed. NOWAIT keeps a
/// domain busy in a migration or save from blocking the call (its job-bound groups are then missing).
/// A record without a UUID, or a second record of the same UUID, is not a fact: it is skipped with a warning.
/// </summary>
public static class DomainSnapshotReader
{
    /// <summary>Runs the bulk call; a failure (libvirtd down, deadline) propagates as <see cref="LibvirtException"/>.</summary>
    public static async Task<DomainSnapshot> ReadAsync(ILibvirtClient libvirt, TimeProvider time, CancellationToken cancellationToken)
    {
        var records = await libvirt.GetAllDomainStatsAsync(DomainStatsGroups.Used, cancellationToken);
        var takenAt = time.GetUtcNow();
        var domains = new List<DomainEntry>(records.Count);
        var warnings = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            var uuid = record.Uuid.ToLowerInvariant();
            if (!Guid.TryParseExact(uuid, "D", out _))
            {
                warnings.Add($"libvirt at {libvirt.Uri}: stats record of domain '{record.Name}' without a valid UUID ('{record.Uuid}'): skipped");
                continue;
            }
            if (!seen.Add(uuid))
            {
                warnings.Add($"libvirt at {libvirt.Uri}: second stats record of domain {uuid} ('{record.Name}'): skipped");
                continue;
            }
            domains.Add(new DomainEntry(record.Name, uuid, record.Id, record.Stats));
        }
        return new DomainSnapshot(domains, takenAt, warnings);
    }
}
