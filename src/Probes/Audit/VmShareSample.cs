using OneKvm.Cgroups.Layout;

namespace OneKvm.Probes.Audit;

/// <summary>One running domain in a <see cref="ShareAuditSample"/>; null = not known in this read.</summary>
public sealed record VmShareSample
{
    /// <summary>Identity of this run of the domain, equal in two samples only for the same run (UUID + libvirt id, or name + id).</summary>
    public required string Key { get; init; }

    public required string Domain { get; init; }

    public int? VmId { get; init; }

    public required int Vcpus { get; init; }

    /// <summary>The OpenNebula CPU attribute (the promise); null for a wild VM.</summary>
    public float? Cpu { get; init; }

    /// <summary>Scale of the VM's cpu cgroup (v1 <c>cpu.shares</c>, v2 <c>cpu.weight</c>); null when no cpu controller serves it.</summary>
    public CgroupVersion? SharesVersion { get; init; }

    /// <summary>The weight the kernel applies, as read from the VM directory.</summary>
    public long? AppliedShares { get; init; }

    /// <summary>When this VM's counters were read; null = <see cref="ShareAuditSample.Timestamp"/>.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Cumulative CPU time of all the VM's threads, ns.</summary>
    public ulong? CpuUsageNanoseconds { get; init; }

    /// <summary>Cumulative CFS periods in which the VM was throttled (<c>cpu.stat nr_throttled</c>).</summary>
    public ulong? ThrottledPeriods { get; init; }

    /// <summary>Cumulative time some task of the VM waited for a CPU, µs (<c>cpu.pressure</c> <c>some total</c>).</summary>
    public ulong? PressureSomeMicroseconds { get; init; }

    /// <summary>Why the VM could not be read (its cgroups missing or vanished); the VM is then not audited.</summary>
    public string? Error { get; init; }
}
