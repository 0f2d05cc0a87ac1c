using OneKvm.Libvirt.Stats;

namespace OneKvm.Probes.Virsh;

/// <summary>
/// An active domain: identity from <c>virsh list</c>, statistics from <c>virsh domstats</c>.
/// <c>Id</c> is libvirt's runtime domain id (it changes on every start); <c>Uuid</c> is lower case.
/// </summary>
public sealed record DomainEntry(string Name, string Uuid, int? Id, DomainStats Stats);

/// <summary>Every active domain as seen by one bulk call, and when it was taken.</summary>
public sealed record DomainSnapshot(IReadOnlyList<DomainEntry> Domains, DateTimeOffset TakenAt);

/// <summary>One line of <c>virsh list --uuid --id --name</c>.</summary>
public sealed record DomainListEntry(string Uuid, int? Id, string Name);
