using OneKvm.Cgroups.Layout;
using OneKvm.Probes.OpenNebula;

namespace OneKvm.Probes.Audit;

/// <summary>The VM cgroups source of the host sample (<see cref="CgroupSnapshotReader"/>): the running domains' cgroups, promises and vCPUs, and the host figures the audit divides.</summary>
/// <param name="Timestamp">When the read ended (VM counters carry their own time).</param>
/// <param name="Layout">The cgroup layout detected.</param>
/// <param name="Totals">TOTALCPU and TOTALMEMORY.</param>
/// <param name="HostBusyNanoseconds">Busy time of all CPUs from <c>/proc/stat</c>, or null when unreadable.</param>
/// <param name="Vms">Every running domain, read or not.</param>
/// <param name="Warnings">Host-level notes (reservations, cgroup layout, templates not found).</param>
public sealed record CgroupSnapshot(
    DateTimeOffset Timestamp, CgroupLayout Layout, HostTotals Totals, ulong? HostBusyNanoseconds,
    IReadOnlyList<VmObservation> Vms, IReadOnlyList<string> Warnings)
{
    /// <summary>The audit's input: what <see cref="ShareAudit.Audit"/> needs of this read.</summary>
    public ShareAuditSample ToSample() => new()
    {
        Timestamp = Timestamp,
        HostCpus = Totals.TotalCpu / 100.0,
        HostBusyNanoseconds = HostBusyNanoseconds,
        Vms = Vms.Select(v => new VmShareSample
        {
            Key = v.Key,
            Domain = v.Domain.Name,
            VmId = v.Domain.OneVmId,
            Vcpus = VmObservation.VcpusOf(v.Domain),
            Cpu = v.Cpu,
            SharesVersion = v.Sample?.SharesVersion ?? Layout.CpuVersion,
            AppliedShares = v.Sample?.AppliedShares,
            Timestamp = v.Sample?.Timestamp,
            CpuUsageNanoseconds = Unsigned(v.Sample?.CpuUsageNanoseconds),
            ThrottledPeriods = Unsigned(v.Sample?.CpuThrottledPeriods),
            PressureSomeMicroseconds = Unsigned(v.Sample?.CpuPressure?.SomeTotalMicroseconds),
            Error = v.Error,
        }).ToList(),
    };

    private static ulong? Unsigned(long? value) => value is >= 0 ? (ulong)value.Value : null;
}
