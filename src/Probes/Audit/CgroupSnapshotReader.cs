using OneKvm.Cgroups;
using OneKvm.Cgroups.Layout;
using OneKvm.Cgroups.Vm;
using OneKvm.Libvirt;
using OneKvm.Libvirt.Domain;
using OneKvm.Probes.OpenNebula;
using OneKvm.Probes.Sampling;

namespace OneKvm.Probes.Audit;

/// <summary>
/// The VM cgroups source of the host sample: for every running domain of a <see cref="DomainSnapshot"/>
/// (libvirt's one stats read), its cgroup counters and weight, its promise and its vCPUs. Nothing
/// else is read here: the domains come from the domain snapshot, their XML from the process's
/// <see cref="DomainDefinitionCache"/> (once per run of a domain), the host's load, CPUs and memory
/// from the <see cref="KernelSnapshot"/> of the same tick. What does not change during a domain's
/// run (its <c>vm.xml</c>, where its cgroup directories are) is kept until it stops; the definition is
/// the cache's, dropped on libvirt's events (a share or device changed at run time).
/// <para>The CPU attribute of a VM comes from <c>vm.xml</c> in its system datastore directory. The
/// documented fallback, for an OpenNebula VM whose <c>vm.xml</c> is not there, is the domain XML's
/// <c>&lt;shares&gt;</c> read on the cpu controller's scale (1024 on v1, 100 on v2), the scale the
/// promise is computed on. It is marked <c>domain-xml-shares</c>; it can reveal a scale mismatch but
/// not a share changed at run time (the live XML follows such a change). Wild domains have no CPU attribute.</para>
/// </summary>
public sealed class CgroupSnapshotReader(HostPaths paths, DomainDefinitionCache definitions, TimeProvider time)
{
    private const double NsPerTick = 1e9 / 100;
    private Dictionary<string, Known> known = new(StringComparer.Ordinal);
    private HashSet<string> readBefore = new(StringComparer.Ordinal);

    /// <summary>What is kept of a domain's run between reads: its <c>vm.xml</c> and where its cgroups are (the definition is the cache's, refreshed on libvirt's events).</summary>
    private sealed record Known(OneVmTemplate? Template, string? Note)
    {
        public VmCgroupPaths? Located { get; set; }
    }

    /// <summary>Reads the cgroups of the running domains of <paramref name="domains"/>; one read at a time (not thread-safe).</summary>
    /// <exception cref="ProbeException">the kernel snapshot lacks the mounts, online CPUs or memory (the error names the file).</exception>
    public async Task<CgroupSnapshot> ReadAsync(DomainSnapshot domains, KernelSnapshot kernel, CancellationToken cancellationToken)
    {
        var layout = CgroupLayout.FromMounts(kernel.Require(kernel.Mounts, KernelSnapshot.MountsPart), paths, paths.ProcPath("self", "mountinfo"));
        var totals = HostTotals.From(kernel);
        var warnings = new List<string>();
        warnings.AddRange(LayoutWarnings(layout));
        // Without /proc/stat (a fixture tree) the capacity is the CPUs; a malformed one is said.
        if (kernel.Stat is null && kernel.Errors.GetValueOrDefault(KernelSnapshot.StatPart) is { } statError && File.Exists(paths.ProcPath("stat")))
            warnings.Add($"{statError}: non-VM load not subtracted from the capacity");

        var next = new Dictionary<string, Known>(StringComparer.Ordinal);
        var vms = new List<VmObservation>();
        foreach (var d in domains.Domains.Where(d => Vm.VmStateMapping.IsActive(d.Stats.State)).OrderBy(d => d.Id))
        {
            if (d.Id is not { } id) continue;
            var key = VmObservation.KeyOf(d.Uuid, id);
            DomainDefinition domain;
            try
            {
                domain = await DefinitionAsync(d, id, cancellationToken);
            }
            catch (LibvirtException e) when (e.NoDomain)
            {
                warnings.Add($"domain '{d.Name}' skipped (gone since the stats read?): {e.Message}");
                continue;
            }
            catch (FormatException e)
            {
                vms.Add(new VmObservation(new DomainDefinition { Name = d.Name, Uuid = d.Uuid, Id = id }, null, null, null, null, e.Message, false));
                continue;
            }
            if (!known.TryGetValue(key, out var entry))
            {
                var (template, note) = ReadTemplate(domain);
                entry = new Known(template, note);
            }
            next[key] = entry;
            if (entry.Note is { } n) warnings.Add(n);
            var observed = Observe(layout, domain, entry);
            // Cgroups read last time and gone now: the domain is stopping, not unreadable.
            vms.Add(observed.Error is not null && !observed.Vanished && readBefore.Contains(key)
                ? observed with { Vanished = true, Error = "cgroup directory vanished since the previous read (domain stopping?)" }
                : observed);
        }
        known = next;
        readBefore = vms.Where(v => v.Sample is not null).Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
        return new CgroupSnapshot(time.GetUtcNow(), layout, totals, HostBusy(kernel), vms, warnings);
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

    /// <summary>
    /// The domain's definition from the process's cache; when the stats read shows another vCPU
    /// count than the cached XML (<c>setvcpus --live</c> fires no libvirt event), it is fetched again.
    /// </summary>
    private async Task<DomainDefinition> DefinitionAsync(DomainEntry d, int id, CancellationToken cancellationToken)
    {
        var domain = await definitions.GetAsync(d.Uuid, cancellationToken);
        if (d.Stats.Vcpu?.Current is { } current && domain.Vcpus is { } vcpus && vcpus.Current != current)
        {
            definitions.Invalidate(d.Uuid);
            domain = await definitions.GetAsync(d.Uuid, cancellationToken);
        }
        return domain with { Name = d.Name, Uuid = d.Uuid, Id = id };
    }

    private VmObservation Observe(CgroupLayout layout, DomainDefinition domain, Known entry)
    {
        var (cpu, source) = CpuOf(layout, domain, entry.Template);
        VmObservation Failed(string error, bool vanished) => new(domain, entry.Template, cpu, source, null, error, vanished);
        var located = entry.Located;
        if (located is null || !Exists(located))
        {
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
            entry.Located = located;
        }
        try
        {
            var sample = VmCgroupReader.Read(located, time);
            return Exists(located) ? new VmObservation(domain, entry.Template, cpu, source, sample, null, false) : Failed(VanishedMessage(located), true);
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
        if (isOpenNebula && domain.CpuTune?.Shares is { } shares)
            return (OneCpuShares.CpuFromShares((long)Math.Min(shares, long.MaxValue), layout.CpuVersion ?? (CgroupVersion)layout.OpenNebulaCgroupsVersion), "domain-xml-shares");
        return (null, null);
    }

    /// <summary>Busy ticks of the kernel snapshot's <c>/proc/stat</c> (all but idle and iowait) in ns; null when it was not read.</summary>
    private static ulong? HostBusy(KernelSnapshot kernel)
    {
        if (kernel.Stat is not { } stat) return null;
        var t = stat.Aggregate;
        return (ulong)((t.Total - t.Idle - t.IoWait) * NsPerTick);
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
