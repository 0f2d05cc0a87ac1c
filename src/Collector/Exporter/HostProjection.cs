using System.Reactive.Linq;
using OneKvm.Collector.Pipeline;
using OneKvm.Probes;
using OneKvm.Probes.Audit;
using OneKvm.Probes.Host;
using OneKvm.Probes.OpenNebula;
using OneKvm.Probes.Sampling;

namespace OneKvm.Collector.Exporter;

/// <summary>What the exporter projects from the host sample, and how.</summary>
/// <param name="Reservations">RESERVED_CPU / RESERVED_MEM (MAX_CPU, MAX_MEM, the audit's capacity).</param>
/// <param name="Audit">The share audit's thresholds.</param>
/// <param name="VmStats">Whether the VM families (probe <c>vm_stats</c>) are exported.</param>
/// <param name="Cgroups">Whether the cgroup and audit families (probe <c>cgroups</c>) are exported.</param>
public sealed record ExporterSettings(HostReservations Reservations, ShareAuditSettings Audit, bool VmStats = true, bool Cgroups = true);

/// <summary>The exporter's one input: every data family's entities of one tick, in base units. An empty list or null host: no series.</summary>
/// <param name="Vms">One entry per domain (the <c>onekvm_vm_*</c> and <c>opennebula_libvirt_*</c> families).</param>
/// <param name="Host">The <c>onekvm_host_*</c> figures; null when the kernel could not be read.</param>
/// <param name="Cgroups">One entry per running domain of the cgroup audit.</param>
public sealed record ExporterInput(IReadOnlyList<VmMetricsSample> Vms, HostMetricsSample? Host, IReadOnlyList<VmCgroupSample> Cgroups)
{
    public static ExporterInput Empty { get; } = new([], null, []);
}

/// <summary>One tick's projection: the exporter's input and the health of each family group (<c>vm_stats</c>, <c>cgroups</c>).</summary>
public sealed record ExporterUpdate(ExporterInput Input, IReadOnlyList<ProbeStatus> Statuses);

/// <summary>
/// The exporter's families as pure functions of two consecutive host samples: VM families from the
/// domain snapshot, host families from the kernel snapshot (CPU use over the ticks' <c>/proc/stat</c>
/// delta) and <see cref="HostTotals"/>, cgroup and audit families from <see cref="CgroupReport"/> over
/// the two cgroup snapshots. A part that failed gives no entities and its probe's error.
/// </summary>
public static class HostProjection
{
    private const double NsPerSecond = 1e9;

    /// <summary>Each tick's projection against the latest earlier successful tick.</summary>
    public static IObservable<ExporterUpdate> Updates(IObservable<ProbeSnapshot<HostTick>> ticks, ExporterSettings settings) =>
        ticks.Scan((Previous: (HostTick?)null, Update: (ExporterUpdate?)null),
                (state, tick) => (tick.Sample ?? state.Previous, Project(state.Previous, tick, settings)))
            .Select(state => state.Update!);

    /// <summary>The projection of <paramref name="tick"/>; <paramref name="previous"/> is the latest earlier successful tick (null: none yet).</summary>
    public static ExporterUpdate Project(HostTick? previous, ProbeSnapshot<HostTick> tick, ExporterSettings settings)
    {
        var statuses = new List<ProbeStatus>(2);
        ProbeStatus Status(string probe, string? error) => tick.Status with { Source = probe, Error = tick.Error ?? error };
        if (tick.Sample is not { } current)
        {
            if (settings.VmStats) statuses.Add(Status(ExporterSources.VmStats, null));
            if (settings.Cgroups) statuses.Add(Status(ExporterSources.Cgroups, null));
            return new ExporterUpdate(ExporterInput.Empty, statuses);
        }

        var snapshot = current.Snapshot;
        IReadOnlyList<VmMetricsSample> vms = [];
        if (settings.VmStats)
        {
            if (snapshot.Domains.Value is { } domains)
                vms = [.. domains.Domains.Select(d => VmMetricsMapping.From(d, current.VmNames.GetValueOrDefault(d.Uuid)))];
            statuses.Add(Status(ExporterSources.VmStats, snapshot.Domains.Error));
        }

        CgroupReport? report = null;
        IReadOnlyList<VmCgroupSample> cgroups = [];
        if (settings.Cgroups)
        {
            var error = snapshot.Cgroups.Error;
            if (snapshot.Cgroups.Value is { } second)
            {
                var first = previous?.Snapshot.Cgroups.Value is { } p && p.Timestamp < second.Timestamp ? p : null;
                try
                {
                    report = CgroupReport.From(first, second, settings.Audit, settings.Reservations);
                    cgroups = CgroupRows(report);
                }
                catch (Exception e) when (e is ProbeException or FormatException or IOException)
                {
                    error = e.Message;
                }
            }
            statuses.Add(Status(ExporterSources.Cgroups, error));
        }

        var host = snapshot.Kernel.Value is { } kernel ? Host(previous?.Snapshot.Kernel.Value, kernel, settings.Reservations, report?.Host) : null;
        return new ExporterUpdate(new ExporterInput(vms, host, cgroups), statuses);
    }

    /// <summary>
    /// The host figures: TOTALCPU, TOTALMEMORY and the reservations from <see cref="HostTotals"/>, USEDMEMORY and
    /// NETRX/NETTX as MONITOR_HOST computes them, USEDCPU / TOTALCPU over the two kernel snapshots, allocations from the audit.
    /// </summary>
    public static HostMetricsSample Host(KernelSnapshot? previous, KernelSnapshot kernel, HostReservations reservations, HostCgroupReport? cgroups)
    {
        HostTotals? totals;
        try
        {
            totals = HostTotals.From(kernel);
        }
        catch (ProbeException)
        {
            totals = null; // each figure below is absent exactly when its part is
        }
        var cpu = totals is { TotalCpu: > 0 } t && previous?.Stat is { } before && kernel.Stat is { } after && previous.OnlineCpus == kernel.OnlineCpus
            ? CpuUsage.Between(before.Aggregate, after.Aggregate, (int)t.TotalCpu)
            : null;
        var nics = kernel.NetDevices?.Where(n => PhysicalNic.IsPhysical(n.Name)).ToList();
        return new HostMetricsSample
        {
            Cpus = totals?.TotalCpu / 100.0,
            MaxCpus = totals is { } tc ? Reservation.Apply(tc.TotalCpu, reservations.ReservedCpu, "RESERVED_CPU").Max / 100.0 : null,
            AllocatedCpus = cgroups?.AllocatedCpu / 100.0,
            CpuUsageRatio = cpu is { } u && totals is { } tu ? (double)u.Used / tu.TotalCpu : null,
            MemoryTotalBytes = totals?.TotalMemoryKiB * 1024.0,
            MemoryUsedBytes = kernel.Memory?.UsedKib * 1024.0,
            MemoryFreeBytes = kernel.Memory is { } m ? (m.MemTotalKib - m.UsedKib) * 1024.0 : null,
            MaxMemoryBytes = totals is { } tm ? Reservation.Apply(tm.TotalMemoryKiB, reservations.ReservedMem, "RESERVED_MEM").Max * 1024.0 : null,
            AllocatedMemoryBytes = cgroups?.AllocatedMemoryKiB * 1024.0,
            NetworkReceiveBytes = nics?.Aggregate(0UL, (sum, n) => sum + n.ReceiveBytes),
            NetworkTransmitBytes = nics?.Aggregate(0UL, (sum, n) => sum + n.TransmitBytes),
        };
    }

    /// <summary>The audit's rows as exporter entities: weights expected vs applied, usage, throttling, pressure, verdicts.</summary>
    public static IReadOnlyList<VmCgroupSample> CgroupRows(CgroupReport report) =>
    [
        .. report.Vms.Select(v => new VmCgroupSample(v.Domain, v.VmId)
        {
            ExpectedCpuWeight = v.PromisedShares,
            AppliedCpuWeight = v.AppliedShares,
            CpuEntitlementRatio = v.Verdict?.EntitledCores is { } cores && report.Audit is { CapacityCores: > 0 } audit ? cores / audit.CapacityCores : null,
            CpuUsageSeconds = v.Sample?.CpuUsageNanoseconds / NsPerSecond,
            CpuThrottledSeconds = v.Sample?.CpuThrottledNanoseconds / NsPerSecond,
            CpuThrottledPeriods = v.Sample?.CpuThrottledPeriods,
            CpuPressureSomeSeconds = v.Sample?.CpuPressure?.SomeTotalMicroseconds / 1e6,
            CpuEntitledCores = v.Verdict?.EntitledCores,
            CpuUsedCores = v.Verdict?.UsedCores,
            Starved = v.Verdict?.Starved,
            Noisy = v.Verdict?.Noisy,
        }),
    ];
}
