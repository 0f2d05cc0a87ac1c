using System.Text.Json.Serialization;
using OneKvm.Libvirt.Replay;
using OneKvm.Libvirt.Stats;
using OneKvm.Probes.Sampling;

namespace OneKvm.Collector.Sharing;

/// <summary>
/// The host daemon's domain snapshot on its socket (the answer to <c>snapshot</c>): the
/// <see cref="DomainSnapshot"/> every consumer of the daemon reads, with each domain's QEMU memory and
/// CPU as the daemon measured them, so a client reports exactly the daemon's figures. Exactly one of
/// <see cref="TakenAt"/> (a snapshot) and <see cref="Failure"/> (why the daemon has none) is set.
/// </summary>
public sealed record SharedSnapshot
{
    /// <summary>When the daemon's stats call returned (<see cref="DomainSnapshot.TakenAt"/>).</summary>
    public DateTimeOffset? TakenAt { get; init; }

    /// <summary>When the baseline of the CPU figures was taken (<see cref="DomainSnapshot.CpuSince"/>); null: no CPU measured yet.</summary>
    public DateTimeOffset? CpuSince { get; init; }

    public IReadOnlyList<SharedDomain>? Domains { get; init; }

    /// <summary>The stats records the daemon skipped, one line each (<see cref="DomainSnapshot.Warnings"/>).</summary>
    public IReadOnlyList<string>? Warnings { get; init; }

    /// <summary>The daemon's failed read (<c>unreachable</c>, <c>timeout</c>, <c>error</c>), with libvirt's message.</summary>
    public RecordedFailure? Failure { get; init; }

    public static SharedSnapshot From(DomainSnapshot snapshot) => new()
    {
        TakenAt = snapshot.TakenAt,
        CpuSince = snapshot.CpuSince,
        Domains = [.. snapshot.Domains.Select(d => new SharedDomain(d.Name, d.Uuid, d.Id, d.Stats, d.Memory?.RssKiB, d.Memory?.SwapKiB, d.CpuPercent))],
        Warnings = snapshot.Warnings,
    };

    /// <summary>The snapshot as the daemon had it.</summary>
    /// <exception cref="FormatException">the answer has neither a snapshot nor a failure, or a domain without name, UUID or stats.</exception>
    public DomainSnapshot ToSnapshot()
    {
        if (TakenAt is not { } takenAt || Domains is null) throw new FormatException("the daemon's snapshot has no takenAt or no domains");
        return new DomainSnapshot([.. Domains.Select(d => d.ToEntry())], takenAt, Warnings ?? []) { CpuSince = CpuSince };
    }
}

/// <summary>One domain of a <see cref="SharedSnapshot"/>: libvirt's stats record, the QEMU process's <c>VmRSS</c>/<c>VmSwap</c> (KiB) and the CPU percent.</summary>
public sealed record SharedDomain(string Name, string Uuid, int? Id, DomainStats Stats, long? RssKiB, long? SwapKiB, double? CpuPercent)
{
    public DomainEntry ToEntry()
    {
        if (string.IsNullOrEmpty(Name) || string.IsNullOrEmpty(Uuid) || Stats is null)
            throw new FormatException($"the daemon's snapshot has a domain without name, uuid or stats ('{Name}', '{Uuid}')");
        return new DomainEntry(Name, Uuid, Id, Stats)
        {
            Memory = RssKiB is { } rss ? new QemuMemory(rss, SwapKiB ?? 0) : null,
            CpuPercent = CpuPercent,
        };
    }
}

/// <summary>Source-generated (NativeAOT) JSON of <see cref="SharedSnapshot"/>: one line, camelCase, nulls left out.</summary>
[JsonSerializable(typeof(SharedSnapshot))]
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
public sealed partial class SharedSnapshotJson : JsonSerializerContext;
