using OneKvm.Cgroups;
using OneKvm.Cgroups.Layout;
using OneKvm.Cgroups.Vm;
using OneKvm.Libvirt;
using OneKvm.Libvirt.Domain;
using OneKvm.Probes.Host.Kernel;
using OneKvm.Probes.OpenNebula;

namespace OneKvm.Probes.Audit;

/// <summary>
/// Reads the host for the audit, once per call (no window of its own): libvirt gives the running
/// domains and their XML (through <see cref="ILibvirtClient"/>, the XML parsed by <see cref="DomainDefinition"/> once per run of a domain); everything
/// else comes from the kernel through <see cref="HostPaths"/>. Two reads feed <see cref="ShareAudit"/>.
/// <para>The CPU attribute of a VM comes from <c>vm.xml</c> in its system datastore directory. The
/// documented fallback, for an OpenNebula VM whose <c>vm.xml</c> is not there, is the domain XML's
/// <c>&lt;shares&gt;</c> divided by the base of OpenNebula's <c>CGROUPS_VERSION</c> for this host
/// (1024 for 1, 100 for 2): the CPU oned must have had to write that value. It is marked
/// <c>domain-xml-shares</c>; it can reveal a scale mismatch but not a share changed at run time
/// (the live XML follows such a change). Wild domains have no CPU attribute.</para>
/// </summary>
public sealed class CgroupAuditReader(HostPaths paths, ILibvirtClient libvirt, TimeProvider time, HostReservations reservations)
{
    private const double NsPerTick = 1e9 / 100;
    private Dictionary<string, (DomainDefinition Domain, OneVmTemplate? Template, string? Note)> _known = new(StringComparer.Ordinal);
    private HashSet<string> _readBefore = new(StringComparer.Ordinal);

    public HostReservations Reservations => reservations;

    public async Task<AuditRead> ReadAsync(CancellationToken cancellationToken)
    {
        var layout = CgroupLayout.Detect(paths);
        var totals = HostTotals.Read(paths);
        var warnings = new List<string>();
        warnings.AddRange(LayoutWarnings(layout));

        var known = new Dictionary<string, (DomainDefinition, OneVmTemplate?, string?)>(StringComparer.Ordinal);
        var vms = new List<VmObservation>();
        foreach (var d in (await libvirt.ListDomainsAsync(includeInactive: false, cancellationToken)).OrderBy(d => d.Id))
        {
            if (d.Id is not { } id) continue;
            var key = VmObservation.KeyOf(d.Uuid, id);
            if (!_known.TryGetValue(key, out var entry))
            {
                try
                {
                    var domain = DomainDefinition.Parse(await libvirt.GetDomainXmlAsync(d.Uuid, cancellationToken), $"domain '{d.Name}' ({d.Uuid})")
                        with { Name = d.Name, Uuid = d.Uuid, Id = id };
                    var (template, note) = ReadTemplate(domain);
                    entry = (domain, template, note);
                }
                catch (LibvirtException e) when (e.NoDomain)
                {
                    warnings.Add($"domain '{d.Name}' skipped (gone while listing?): {e.Message}");
                    continue;
                }
                catch (FormatException e)
                {
                    vms.Add(new VmObservation(new DomainDefinition { Name = d.Name, Uuid = d.Uuid, Id = id }, null, null, null, null, e.Message, false));
                    continue;
                }
            }
            known[key] = entry;
            if (entry.Note is { } n) warnings.Add(n);
            var observed = Observe(layout, entry.Domain, entry.Template);
            // Cgroups read last time and gone now: the domain is stopping, not unreadable.
            vms.Add(observed.Error is not null && !observed.Vanished && _readBefore.Contains(key)
                ? observed with { Vanished = true, Error = "cgroup directory vanished since the previous read (domain stopping?)" }
                : observed);
        }
        _known = known;
        _readBefore = vms.Where(v => v.Sample is not null).Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
        return new AuditRead(time.GetUtcNow(), layout, totals, HostBusy(warnings), vms, warnings);
    }

    private (OneVmTemplate? Template, string? Note) ReadTemplate(DomainDefinition domain)
    {
        if (domain.OneVm?.SystemDatastore is not { } ds) return (null, null);
        var path = OneVmTemplate.PathFor(paths, ds);
        try
        {
            var template = OneVmTemplate.Read(path);
            return (template, template is null ? $"{domain.Name}: {path} not found: CPU taken from the domain XML <shares> (fallback)" : null);
        }
        catch (FormatException e)
        {
            return (null, $"{domain.Name}: {e.Message}: CPU taken from the domain XML <shares> (fallback)");
        }
    }

    private VmObservation Observe(CgroupLayout layout, DomainDefinition domain, OneVmTemplate? template)
    {
        var (cpu, source) = CpuOf(layout, domain, template);
        VmObservation Failed(string error, bool vanished) => new(domain, template, cpu, source, null, error, vanished);
        VmCgroupPaths? located;
        try
        {
            located = VmCgroupLocator.Locate(paths, layout, domain.Name, domain.Id);
        }
        catch (Exception e) when (e is FormatException or KernelFileException or IOException or UnauthorizedAccessException)
        {
            return Failed(e.Message, false);
        }
        if (located is null || !Exists(located))
            return Failed("running, but no cgroup directory found (no QEMU pid file or /proc/<pid>/cgroup, no machine directory)", false);
        try
        {
            var sample = VmCgroupReader.Read(located, time);
            return Exists(located) ? new VmObservation(domain, template, cpu, source, sample, null, false) : Failed(VanishedMessage(located), true);
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
        {
            return Failed(VanishedMessage(located), true);
        }
        catch (Exception e) when (e is FormatException or KernelFileException or IOException or UnauthorizedAccessException)
        {
            return Exists(located) ? Failed(e.Message, false) : Failed(VanishedMessage(located), true);
        }
    }

    private static string VanishedMessage(VmCgroupPaths located) =>
        $"cgroup directory {(located.Cpu ?? located.Unified)?.HostPath ?? located.Relative} vanished while it was read (domain stopping?)";

    private static bool Exists(VmCgroupPaths located) => (located.Cpu ?? located.Unified) is { Exists: true };

    private static (float? Cpu, string? Source) CpuOf(CgroupLayout layout, DomainDefinition domain, OneVmTemplate? template)
    {
        if (template?.Cpu is { } cpu) return (cpu, "vm.xml");
        var isOpenNebula = domain.OneVmId is not null || domain.OneVm?.SystemDatastore is not null;
        // The fallback reads the shares on the scale the promise is computed on (the cpu controller's), so an
        // undrifted VM reads as undrifted on a hybrid host whose OpenNebula version and cpu controller differ.
        if (isOpenNebula && domain.CpuTune?.Shares is { } shares)
            return (OneCpuShares.CpuFromShares((long)Math.Min(shares, long.MaxValue), layout.CpuVersion ?? (CgroupVersion)layout.OpenNebulaCgroupsVersion), "domain-xml-shares");
        return (null, null);
    }

    /// <summary>Busy ticks of <c>/proc/stat</c> (all but idle and iowait) in ns; null (and a warning when malformed) without it.</summary>
    private ulong? HostBusy(List<string> warnings)
    {
        var path = paths.ProcPath("stat");
        if (!KernelFile.TryRead(path, out var text)) return null;
        try
        {
            var t = ProcStatParser.Parse(text, path).Aggregate;
            return (ulong)((t.Total - t.Idle - t.IoWait) * NsPerTick);
        }
        catch (FormatException e)
        {
            warnings.Add($"{e.Message}: non-VM load not subtracted from the capacity");
            return null;
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
}
