using OneKvm.Cgroups.Layout;
using OneKvm.Cgroups.Shares;

namespace OneKvm.Probes.Cgroups;

/// <summary>
/// Pure part of the audit: expected vs applied shares, entitlement by water-filling over the applied
/// weights, usage from two samples, starved/noisy flags.
/// <list type="bullet">
/// <item>Entitlement: MAX_CPU/100 cores shared by weighted max-min fairness among the VMs found,
/// weight = applied share (else expected, else the scale's default), cap = vCPUs.</item>
/// <item>Starved: usage below entitlement × (1 − tolerance) while the VM was throttled in the window
/// or stalled for CPU more than the pressure threshold (it wanted more and did not get it).</item>
/// <item>Noisy: the VMs together use ≥ 90 % of the cores they compete for (MAX_CPU/100, at most the
/// online CPUs) and this one uses more than entitlement × (1 + tolerance): it lives on others' share.</item>
/// </list>
/// </summary>
internal static class ShareAnalysis
{
    public static IReadOnlyList<VmCgroupReport> Analyse(
        CgroupLayout layout, IReadOnlyList<Observed> observed, long maxCpu, long totalCpu, CgroupAuditSettings settings)
    {
        var rows = observed
            .OrderBy(o => o.Domain.OneVmId ?? int.MaxValue).ThenBy(o => o.Domain.Name, StringComparer.Ordinal)
            .Select(o => Row(layout, o))
            .ToList();

        var capacity = Math.Max(0, maxCpu / 100.0);
        var competing = rows.Where(r => r.Sample is not null).ToList();
        var scale = layout.CpuVersion ?? CgroupVersion.V1;
        var entitled = FairShare.Allocate(capacity, competing
            .Select(r => new FairShareClaim(r.AppliedShares ?? r.ExpectedShares ?? CpuShares.Default(scale), r.Vcpus))
            .ToList());
        var contendedCores = Math.Min(capacity, totalCpu / 100.0);
        var totalUsed = competing.Sum(r => r.UsedCores ?? 0);
        var contended = contendedCores > 0 && totalUsed >= 0.9 * contendedCores;

        for (var i = 0; i < competing.Count; i++)
        {
            var r = competing[i];
            var e = entitled[i];
            var starved = r.UsedCores is { } used && used < (e * (1 - settings.Tolerance)) - 0.01
                && (r.ThrottledPeriods > 0 || r.CpuPressure >= settings.PressureThreshold);
            var noisy = contended && r.UsedCores is { } u && u > (e * (1 + settings.Tolerance)) + 0.01;
            rows[rows.IndexOf(r)] = r with { EntitledCores = e, Starved = starved, Noisy = noisy };
        }
        return rows;
    }

    private static VmCgroupReport Row(CgroupLayout layout, Observed o)
    {
        var (cpu, source) = CpuOf(layout, o);
        var sample = o.Second ?? o.First;
        long? expected = cpu is { } c && layout.CpuVersion is { } v ? CpuShares.Expected(c, v) : null;
        var row = new VmCgroupReport
        {
            Domain = o.Domain.Name,
            VmId = o.Domain.OneVmId,
            Cpu = cpu,
            CpuSource = source,
            Vcpus = (int)Math.Min(o.Domain.Vcpus?.Current ?? 1, int.MaxValue),
            MemoryKiB = o.Template?.MemoryMiB * 1024 ?? (long?)(o.Domain.CurrentMemoryKiB ?? o.Domain.MemoryKiB),
            ExpectedShares = expected,
            AppliedShares = sample?.AppliedShares,
            Sample = sample,
            Error = o.Error,
        };
        if (o.First is not { } first || o.Second is not { } second) return row;

        var seconds = (second.Timestamp - first.Timestamp).TotalSeconds;
        if (seconds <= 0) return row;
        return row with
        {
            UsedCores = Rate(first.CpuUsageNanoseconds, second.CpuUsageNanoseconds, seconds * 1e9),
            VcpuUsedCores = second.Vcpus
                .Select(v => new VcpuUsage(v.Index, Rate(first.Vcpus.FirstOrDefault(f => f.Index == v.Index)?.CpuUsageNanoseconds, v.CpuUsageNanoseconds, seconds * 1e9)))
                .ToList(),
            ThrottledPeriods = Delta(first.CpuThrottledPeriods, second.CpuThrottledPeriods),
            CpuPressure = Rate(first.CpuPressure?.SomeTotalMicroseconds, second.CpuPressure?.SomeTotalMicroseconds, seconds * 1e6),
        };
    }

    private static (float? Cpu, string? Source) CpuOf(CgroupLayout layout, Observed o)
    {
        if (o.Template?.Cpu is { } cpu) return (cpu, "vm.xml");
        var isOpenNebula = o.Domain.OneVmId is not null || o.Domain.OneVm?.SystemDatastore is not null;
        if (isOpenNebula && o.Domain.CpuTune?.Shares is { } shares)
            return (CpuShares.CpuFromShares((long)Math.Min(shares, long.MaxValue), (CgroupVersion)layout.OpenNebulaCgroupsVersion), "domain-xml-shares");
        return (null, null);
    }

    /// <summary>Counter delta per unit; a counter that went backwards (VM restarted, new cgroup) gives null.</summary>
    private static double? Rate(long? before, long? after, double per) =>
        Delta(before, after) is { } d ? d / per : null;

    private static long? Delta(long? before, long? after) =>
        before is { } b && after is { } a && a >= b ? a - b : null;
}
