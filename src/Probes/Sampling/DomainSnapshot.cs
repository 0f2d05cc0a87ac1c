using OneKvm.Libvirt.Stats;

namespace OneKvm.Probes.Sampling;

/// <summary>
/// An active domain in one stats read. <c>Id</c> is libvirt's runtime domain id (it changes on every
/// start); <c>Uuid</c> is lower case.
/// </summary>
public sealed record DomainEntry(string Name, string Uuid, int? Id, DomainStats Stats);

/// <summary>Every active domain as seen by one bulk stats call, when it was taken, and what was wrong with the answer.</summary>
/// <param name="Domains">The domains, each UUID once.</param>
/// <param name="TakenAt">When the call returned.</param>
/// <param name="Warnings">Records skipped because they were not facts (duplicates, no UUID), one line each.</param>
public sealed record DomainSnapshot(IReadOnlyList<DomainEntry> Domains, DateTimeOffset TakenAt, IReadOnlyList<string> Warnings)
{
    public DomainSnapshot(IReadOnlyList<DomainEntry> domains, DateTimeOffset takenAt) : this(domains, takenAt, []) { }
}
