using OneKvm.Collector.Pipeline;
using OneKvm.Libvirt;
using OneKvm.Libvirt.Domain;
using OneKvm.Probes;
using OneKvm.Probes.Audit;
using OneKvm.Probes.Vm;

namespace OneKvm.Collector.Exporter;

/// <summary>
/// Sources that exist only for the exporter: every domain's stats (the process's shared domain
/// snapshot, the XML only for new or changed domains) and the cgroup audit. Their samples are already
/// exporter inputs (<see cref="VmMetricsSet"/>, <see cref="ExporterCgroupAudit"/>).
/// </summary>
public static class ExporterSources
{
    public const string VmStats = "vm_stats";
    public const string Cgroups = "cgroups";

    public static ProbeSource VmStatsSource(ProbeContext context, TimeSpan period) =>
        new(VmStats, period, ProbeSource.DefaultTimeout(period), async ct =>
        {
            var snapshot = await VmInventory.ReadAsync(context, ct);
            context.Definitions.Retain(snapshot.Domains.Select(d => d.Uuid));
            var vms = new List<VmMetricsSample>(snapshot.Domains.Count);
            foreach (var domain in snapshot.Domains)
            {
                string? name = null;
                if (OneVmName.TryParseId(domain.Name, out _))
                {
                    try
                    {
                        name = (await context.Definitions.GetAsync(domain.Uuid, ct)).OneVm?.Name;
                    }
                    catch (Exception e) when (e is LibvirtException { TimedOut: false, Unreachable: false } or FormatException)
                    {
                        // The VM name label is optional; the counters still go out.
                    }
                }
                vms.Add(VmMetricsMapping.From(domain, name));
            }
            return new VmMetricsSet(vms);
        });

    /// <summary>One read per tick; the audit's window is the time between this tick's read and the previous one.</summary>
    public static ProbeSource CgroupsSource(ProbeContext context, HostReservations reservations, ShareAuditSettings settings, TimeSpan period)
    {
        CgroupSnapshot? previous = null;
        return new(Cgroups, period, ProbeSource.DefaultTimeout(period), async ct =>
        {
            var current = await context.Host.Cgroups.ReadAsync(ct);
            var report = CgroupReport.From(previous is { } p && p.Timestamp < current.Timestamp ? p : null, current, settings, reservations);
            previous = current;
            return ExporterCgroupAudit.From(report);
        });
    }
}
