namespace OneKvm.Probes.Audit;

/// <summary>
/// One read of everything the share audit needs, at one instant: the input of
/// <see cref="ShareAudit.Audit"/>, built from two consecutive reads (the <c>cgroups</c> command) or
/// two consecutive host snapshots. Counters are cumulative and in base units.
/// </summary>
public sealed record ShareAuditSample
{
    /// <summary>When the counters were read (VM counters may carry their own time).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>CPUs the VMs can run on (online CPUs of the host).</summary>
    public required double HostCpus { get; init; }

    /// <summary>
    /// Busy time of all host CPUs since boot, ns (<c>/proc/stat</c> everything but idle and iowait);
    /// null when unknown. With it the audit subtracts what non-VM load used from the capacity.
    /// </summary>
    public ulong? HostBusyNanoseconds { get; init; }

    /// <summary>Every running domain read, including those that could not be read (<see cref="VmShareSample.Error"/>).</summary>
    public required IReadOnlyList<VmShareSample> Vms { get; init; }
}
