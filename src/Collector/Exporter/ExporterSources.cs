using OneKvm.Collector.Pipeline;
using OneKvm.Libvirt;
using OneKvm.Libvirt.Domain;
using OneKvm.Probes;
using OneKvm.Probes.Cgroups;
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

    /// <summary>The audit samples usage over its own window, so its timeout allows for that window.</summary>
    public static ProbeSource CgroupsSource(CgroupAuditor auditor, TimeSpan period, double usageWindowSeconds) =>
        new(Cgroups, period, ProbeSource.DefaultTimeout(period) + TimeSpan.FromSeconds(usageWindowSeconds + 10), async ct =>
            ExporterCgroupAudit.From(await auditor.CollectAsync(ct)));
}
