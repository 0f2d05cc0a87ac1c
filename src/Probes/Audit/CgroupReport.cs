using OneKvm.Cgroups.Vm;
using OneKvm.Probes.OpenNebula;

namespace OneKvm.Probes.Audit;

/// <summary>The cgroups audit of one host over one window: host side, one row per running domain, who took whose time.</summary>
/// <param name="Host">Cgroup mode, capacity after reservations, allocation.</param>
/// <param name="Vms">One row per running domain of the second read.</param>
/// <param name="Audit">The share audit, or null when only one read was made.</param>
/// <param name="Warnings">Host-level notes and VMs not audited.</param>
public sealed record CgroupReport(HostCgroupReport Host, IReadOnlyList<VmCgroupReport> Vms, ShareAuditResult? Audit, IReadOnlyList<string> Warnings)
{
    /// <summary>Some running VM's cgroups could not be found or read (not those that vanished because the domain stopped).</summary>
    public bool Unreadable => Vms.Any(v => v.Error is not null && !v.Vanished);

    /// <summary>Drift, starved or noisy.</summary>
    public bool Findings => Vms.Any(v => v.Drift == true) || Audit?.Findings == true;

    /// <summary>
    /// The report of two consecutive reads (or of one when <paramref name="first"/> is null: shares,
    /// no usage). Rows come from the second read; a VM is audited when both reads saw it.
    /// </summary>
    public static CgroupReport From(CgroupSnapshot? first, CgroupSnapshot second, ShareAuditSettings settings, HostReservations reservations)
    {
        var warnings = new List<string>();
        var cpu = Reservation.Apply(second.Totals.TotalCpu, reservations.ReservedCpu, "RESERVED_CPU");
        var mem = Reservation.Apply(second.Totals.TotalMemoryKiB, reservations.ReservedMem, "RESERVED_MEM");
        if (cpu.Warning is { } w1) warnings.Add(w1);
        if (mem.Warning is { } w2) warnings.Add(w2);
        warnings.AddRange(second.Warnings.Distinct(StringComparer.Ordinal));

        var audit = first is null ? null : ShareAudit.Audit(first.ToSample(), second.ToSample(), settings);
        var verdicts = audit?.Vms.ToDictionary(v => v.Key, StringComparer.Ordinal) ?? [];
        var firstErrors = first?.Vms.Where(v => v.Error is not null).ToDictionary(v => v.Key, StringComparer.Ordinal) ?? [];
        var vms = second.Vms
            .OrderBy(v => v.Domain.OneVmId ?? int.MaxValue).ThenBy(v => v.Domain.Name, StringComparer.Ordinal)
            .Select(v =>
            {
                // A cgroup unreadable in the first read stays an error even if the second read found it.
                var early = v.Error is null && firstErrors.TryGetValue(v.Key, out var e) ? e : null;
                return Row(second, v, verdicts.GetValueOrDefault(v.Key)) with
                {
                    Error = v.Error ?? early?.Error,
                    Vanished = v.Error is null ? early?.Vanished ?? false : v.Vanished,
                };
            })
            .ToList();
        if (audit is not null)
        {
            warnings.AddRange(audit.Skipped
                .Where(s => !vms.Any(v => v.Error is not null && s.StartsWith(v.Domain + ": ", StringComparison.Ordinal)))
                .Select(s => "not audited: " + s));
        }
        foreach (var v in vms.Where(v => v.Vanished)) warnings.Add($"{v.Domain} skipped: {v.Error}");
        return new CgroupReport(HostSide(second, cpu, mem, reservations, vms, audit), vms, audit, warnings);
    }

    private static VmCgroupReport Row(CgroupSnapshot read, VmObservation o, VmShareVerdict? verdict)
    {
        var version = o.Sample?.SharesVersion ?? read.Layout.CpuVersion;
        return new VmCgroupReport
        {
            Domain = o.Domain.Name,
            VmId = o.Domain.OneVmId,
            Cpu = o.Cpu,
            CpuSource = o.CpuSource,
            Vcpus = VmObservation.VcpusOf(o.Domain),
            Uuid = o.Domain.Uuid,
            MemoryKiB = o.Template?.MemoryMiB * 1024 ?? (long?)(o.Domain.CurrentMemoryKiB ?? o.Domain.MemoryKiB),
            PromisedShares = o.Cpu is { } c && version is { } v ? OneCpuShares.For(c, v) : null,
            AppliedShares = o.Sample?.AppliedShares,
            Verdict = verdict,
            Sample = o.Sample,
            Error = o.Error,
            Vanished = o.Vanished,
        };
    }

    private static HostCgroupReport HostSide(
        CgroupSnapshot read, ReservationResult cpu, ReservationResult mem, HostReservations reservations,
        List<VmCgroupReport> vms, ShareAuditResult? audit)
    {
        var parent = vms.Select(v => v.Sample?.Paths.Memory?.Parent()).FirstOrDefault(p => p is not null);
        long? limit = null;
        if (parent is not null)
        {
            var sample = VmCgroupReader.Read(new VmCgroupPaths(parent.HostPath, null, null, null, parent, null, "parent"), TimeProvider.System);
            limit = sample.MemoryLimitBytes;
        }
        return new HostCgroupReport
        {
            Layout = read.Layout,
            TotalCpu = read.Totals.TotalCpu,
            MaxCpu = cpu.Max,
            TotalMemoryKiB = read.Totals.TotalMemoryKiB,
            MaxMemoryKiB = mem.Max,
            ReservedCpu = reservations.ReservedCpu,
            ReservedMem = reservations.ReservedMem,
            AllocatedCpu = vms.Sum(v => v.Cpu is { } c ? (long)(c * 100f) : 0),
            AllocatedMemoryKiB = vms.Sum(v => v.MemoryKiB ?? 0),
            ParentMemoryCgroup = parent?.HostPath,
            ParentMemoryLimitBytes = limit,
            ParentMemoryLimitCheck = parent is null ? null : MemoryLimitCheck(limit, mem.Max),
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
