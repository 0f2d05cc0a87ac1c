using OneKvm.Collector.Pipeline;
using OneKvm.Libvirt;
using OneKvm.Libvirt.Domain;
using OneKvm.Probes;
using OneKvm.Probes.Sampling;

namespace OneKvm.Collector.Exporter;

/// <summary>One tick of the exporter's source: the host sample and the OpenNebula names of its domains (by UUID).</summary>
/// <param name="Snapshot">Every source of the host, read once for the tick (<see cref="HostSampler.ReadAsync"/>).</param>
/// <param name="VmNames">The <c>one_vm_name</c> label of the <c>one-N</c> domains that have one, by UUID.</param>
public sealed record HostTick(HostSnapshot Snapshot, IReadOnlyDictionary<string, string> VmNames);

/// <summary>
/// The exporter's one source: the process's host sample on one timer. Its VM, host and cgroup
/// families are projections of two consecutive ticks (<see cref="HostProjection"/>); each keeps its
/// own <c>onekvm_probe_success</c> name (<see cref="VmStats"/>, <see cref="Cgroups"/>).
/// </summary>
public static class ExporterSources
{
    /// <summary>The probe name of the VM families (the host sample's domain part).</summary>
    public const string VmStats = "vm_stats";

    /// <summary>The probe name of the cgroup and audit families (the host sample's cgroup part).</summary>
    public const string Cgroups = "cgroups";

    /// <summary>The source's name (in its timeout message).</summary>
    public const string HostSample = "host_sample";

    /// <summary>Reads <see cref="ProbeContext.Host"/> once per tick, then the names of new domains (each XML read once per domain life).</summary>
    public static ProbeSource<HostTick> HostSource(ProbeContext context, TimeSpan period) =>
        new(HostSample, period, ProbeSource.DefaultTimeout(period), async ct =>
        {
            var snapshot = await context.Host.ReadAsync(ct);
            if (snapshot.Domains.Value is not { } domains)
                return new HostTick(snapshot, new Dictionary<string, string>(StringComparer.Ordinal));
            context.Definitions.Retain(domains.Domains.Select(d => d.Uuid));
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var domain in domains.Domains)
            {
                if (!OneVmName.TryParseId(domain.Name, out _)) continue;
                try
                {
                    if ((await context.Definitions.GetAsync(domain.Uuid, ct)).OneVm?.Name is { } name) names[domain.Uuid] = name;
                }
                catch (Exception e) when (e is LibvirtException { TimedOut: false, Unreachable: false } or FormatException)
                {
                    // The VM name label is optional; the counters still go out.
                }
            }
            return new HostTick(snapshot, names);
        });
}
