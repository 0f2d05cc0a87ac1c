using OneKvm.Cgroups;
using OneKvm.Cgroups.Layout;
using OneKvm.Cgroups.Vm;
using OneKvm.Libvirt;
using OneKvm.Libvirt.Domain;
using OneKvm.Probes.OpenNebula;

namespace OneKvm.Probes.Cgroups;

/// <summary>
/// Builds a <see cref="CgroupReport"/>: libvirt gives the running domains and their XML (through
/// <see cref="ILibvirtClient"/>); everything else comes from the kernel through <see cref="HostPaths"/>.
/// <para>The CPU attribute of a VM comes from <c>vm.xml</c> in its system datastore directory. The
/// documented fallback, for an OpenNebula VM whose <c>vm.xml</c> is not there, is the domain XML's
/// <c>&lt;shares&gt;</c> divided by the base of OpenNebula's <c>CGROUPS_VERSION</c> for this host
/// (1024 for 1, 100 for 2): the CPU oned must have had to write that value. It is marked
/// <c>domain-xml-shares</c>; it can reveal a scale mismatch but not a share changed at run time
/// (the live XML follows such a change). Wild domains have no CPU attribute.</para>
/// </summary>
public sealed class CgroupAuditor(HostPaths paths, ILibvirtClient libvirt, TimeProvider time, CgroupAuditSettings settings, HostReservations reservations)
{
    /// <summary>How long one audit samples CPU usage.</summary>
    public double UsageWindowSeconds => settings.UsageWindowSeconds;

    public async Task<CgroupReport> CollectAsync(CancellationToken cancellationToken)
    {
        var layout = CgroupLayout.Detect(paths);
        var totals = HostTotals.Read(paths);
        var warnings = new List<string>();
        var cpuReservation = Reservation.Apply(totals.TotalCpu, reservations.ReservedCpu, "RESERVED_CPU");
        var memReservation = Reservation.Apply(totals.TotalMemoryKiB, reservations.ReservedMem, "RESERVED_MEM");
        if (cpuReservation.Warning is { } w1) warnings.Add(w1);
        if (memReservation.Warning is { } w2) warnings.Add(w2);
        warnings.AddRange(LayoutWarnings(layout));

        var observed = new List<Observed>();
        foreach (var d in (await libvirt.ListDomainsAsync(includeInactive: false, cancellationToken)).OrderBy(d => d.Id))
        {
            if (d.Id is not { } id) continue;
            if (await ObserveAsync(layout, id, d.Name, d.Uuid, warnings, cancellationToken) is { } o) observed.Add(o);
        }

        var window = TimeSpan.FromSeconds(Math.Max(0, settings.UsageWindowSeconds));
        if (window > TimeSpan.Zero && observed.Any(o => o.First is not null))
        {
            await Task.Delay(window, time, cancellationToken);
            observed = observed.Select(o => o.Paths is null ? o : o with { Second = VmCgroupReader.Read(o.Paths, time) }).ToList();
        }

        var vms = ShareAnalysis.Analyse(layout, observed, cpuReservation.Max, totals.TotalCpu, settings);
        var host = HostSide(layout, totals, cpuReservation, memReservation, observed, vms, window);
        return new CgroupReport(host, vms, warnings);
    }

    private async Task<Observed?> ObserveAsync(CgroupLayout layout, int id, string name, string uuid, List<string> warnings, CancellationToken cancellationToken)
    {
        DomainDefinition domain;
        try
        {
            domain = DomainDefinition.Parse(await libvirt.GetDomainXmlAsync(uuid, cancellationToken), $"domain '{name}' ({uuid})");
        }
        catch (LibvirtException e) when (e.NoDomain)
        {
            warnings.Add($"domain '{name}' skipped (gone while listing?): {e.Message}");
            return null;
        }
        catch (FormatException e)
        {
            return new Observed(new DomainDefinition { Name = name, Id = id }, null, null, null, e.Message);
        }

        OneVmTemplate? template = null;
        if (domain.OneVm?.SystemDatastore is { } ds)
        {
            var path = OneVmTemplate.PathFor(paths, ds);
            try
            {
                template = OneVmTemplate.Read(path);
                if (template is null) warnings.Add($"{name}: {path} not found: CPU taken from the domain XML <shares> (fallback)");
            }
            catch (FormatException e)
            {
                warnings.Add($"{name}: {e.Message}: CPU taken from the domain XML <shares> (fallback)");
            }
        }

        try
        {
            var located = VmCgroupLocator.Locate(paths, layout, name, id);
            return located is null
                ? new Observed(domain, template, null, null, "no cgroup found (no QEMU pid file or /proc/<pid>/cgroup, no machine directory)")
                : new Observed(domain, template, located, VmCgroupReader.Read(located, time), null);
        }
        catch (Exception e) when (e is FormatException or KernelFileException or IOException or UnauthorizedAccessException)
        {
            return new Observed(domain, template, null, null, e.Message);
        }
    }

    private static IEnumerable<string> LayoutWarnings(CgroupLayout layout)
    {
        if (layout.CpuVersion is not { } cpuVersion)
        {
            yield return "no cgroup hierarchy serves the cpu controller: CPU weights cannot be read";
            yield break;
        }
        if ((int)cpuVersion != layout.OpenNebulaCgroupsVersion)
        {
            yield return $"OpenNebula's CGROUPS_VERSION probe says {layout.OpenNebulaCgroupsVersion} on this host (a v1 hierarchy is mounted) "
                + $"but the cpu controller is on cgroup v{(int)cpuVersion}: oned writes <shares> on the "
                + $"{(layout.OpenNebulaCgroupsVersion == 1 ? "1024" : "100")} scale, so VMs it deploys here drift; set CGROUPS_VERSION={(int)cpuVersion} on the host";
        }
    }

    private HostCgroupReport HostSide(
        CgroupLayout layout, HostTotals totals, ReservationResult cpu, ReservationResult mem,
        List<Observed> observed, IReadOnlyList<VmCgroupReport> vms, TimeSpan window)
    {
        var parent = observed.Select(o => o.Paths?.Memory?.Parent()).FirstOrDefault(p => p is not null);
        long? limit = null;
        if (parent is not null)
        {
            var sample = VmCgroupReader.Read(new VmCgroupPaths(parent.HostPath, null, null, null, parent, null, "parent"), time);
            limit = sample.MemoryLimitBytes;
        }
        return new HostCgroupReport
        {
            Layout = layout,
            TotalCpu = totals.TotalCpu,
            MaxCpu = cpu.Max,
            TotalMemoryKiB = totals.TotalMemoryKiB,
            MaxMemoryKiB = mem.Max,
            ReservedCpu = reservations.ReservedCpu,
            ReservedMem = reservations.ReservedMem,
            AllocatedCpu = vms.Sum(v => v.Cpu is { } c ? (long)(c * 100f) : 0),
            AllocatedMemoryKiB = vms.Sum(v => v.MemoryKiB ?? 0),
            ParentMemoryCgroup = parent?.HostPath,
            ParentMemoryLimitBytes = limit,
            ParentMemoryLimitCheck = parent is null ? null : MemoryLimitCheck(limit, mem.Max),
            WindowSeconds = window.TotalSeconds,
        };
    }

    /// <summary>
    /// <c>none</c>: no limit, only oned's accounting keeps RESERVED_MEM free; <c>matches</c>: within 2 %
    /// of MAX_MEM; <c>below_max_mem</c>: oned may place VMs the cgroup cannot hold (OOM kills);
    /// <c>above_max_mem</c>: the kernel does not enforce the reservation.
    /// </summary>
    public static string MemoryLimitCheck(long? limitBytes, long maxMemKiB)
    {
        if (limitBytes is not { } bytes) return "none";
        var kib = bytes / 1024.0;
        if (Math.Abs(kib - maxMemKiB) <= Math.Abs(maxMemKiB) * 0.02) return "matches";
        return kib < maxMemKiB ? "below_max_mem" : "above_max_mem";
    }
}

/// <summary>RESERVED_CPU / RESERVED_MEM as written in the host (or cluster) template.</summary>
public sealed record HostReservations(string? ReservedCpu, string? ReservedMem);

/// <summary>What was seen of one domain: its XML, its OpenNebula template, its cgroups and two samples.</summary>
internal sealed record Observed(DomainDefinition Domain, OneVmTemplate? Template, VmCgroupPaths? Paths, VmCgroupSample? First, string? Error)
{
    public VmCgroupSample? Second { get; init; }
}
