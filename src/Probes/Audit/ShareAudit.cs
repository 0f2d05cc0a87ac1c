using OneKvm.Cgroups.Layout;
using OneKvm.Cgroups.Shares;
using OneKvm.Probes.OpenNebula;

namespace OneKvm.Probes.Audit;

/// <summary>
/// The CPU-share audit as a pure function of two consecutive samples.
/// <list type="bullet">
/// <item>Used cores: Δ cumulative CPU time / Δ time of the VM's two reads. A counter that went
/// backwards is a reset (the domain restarted into a new cgroup): the VM is skipped, never given
/// negative use.</item>
/// <item>Capacity: the host's CPUs minus what non-VM load used (Δ host busy time − Σ VM use) when the
/// host's busy time is known; use by VMs that are not audited (started or stopped during the window)
/// counts as non-VM load.</item>
/// <item>Promised share: OpenNebula's rule for the CPU attribute on the scale of the VM's cgroup
/// (<see cref="OneCpuShares"/>); applied share: what the cgroup file says; drift: they differ.</item>
/// <item>Demand: a VM wants more when it was throttled, its tasks waited for a CPU (PSI) at least
/// the pressure threshold, or it ran at its vCPUs; then its demand is its vCPUs, else what it used.
/// An idle VM (below the idle threshold, not throttled) wants nothing.</item>
/// <item>Entitlement: weighted max-min fairness (<see cref="FairShare"/>) of the capacity by the
/// promised shares (a wild VM, which has no promise, by its applied share), each VM capped by its
/// vCPUs and its demand, so what a VM does not use goes to the others.</item>
/// <item>Starved: wanted more and used less than its entitlement by more than the tolerance (the
/// larger of the absolute and the relative one); noisy: used more than its entitlement by more than
/// the tolerance while some VM was starved. Each starved VM's shortfall is shared out among the
/// noisy VMs in proportion to their excess (<see cref="CpuTransfer"/>).</item>
/// </list>
/// </summary>
public static class ShareAudit
{
    private const double NsPerSecond = 1e9;
    private const double UsPerSecond = 1e6;

    /// <exception cref="ArgumentException"><paramref name="current"/> is not later than <paramref name="previous"/>.</exception>
    public static ShareAuditResult Audit(ShareAuditSample previous, ShareAuditSample current, ShareAuditSettings settings)
    {
        var window = (current.Timestamp - previous.Timestamp).TotalSeconds;
        if (!(window > 0)) throw new ArgumentException("the current sample must be later than the previous one", nameof(current));

        var skipped = new List<string>();
        var before = new Dictionary<string, VmShareSample>(StringComparer.Ordinal);
        foreach (var vm in previous.Vms.Where(v => v.Error is null)) before.TryAdd(vm.Key, vm);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var measured = new List<Measured>();
        foreach (var vm in current.Vms)
        {
            seen.Add(vm.Key);
            if (vm.Error is not null)
            {
                skipped.Add($"{vm.Domain}: {vm.Error}");
                continue;
            }
            if (!before.TryGetValue(vm.Key, out var first))
            {
                var earlier = previous.Vms.FirstOrDefault(v => v.Key == vm.Key);
                skipped.Add(earlier?.Error is { } error
                    ? $"{vm.Domain}: {error} (first sample)"
                    : $"{vm.Domain}: started during the window (one sample only)");
                continue;
            }
            if (Measure(first, vm, previous.Timestamp, current.Timestamp) is { } m) measured.Add(m);
            else skipped.Add($"{vm.Domain}: no CPU usage over the window (counter missing or reset)");
        }
        foreach (var vm in previous.Vms.Where(v => !seen.Contains(v.Key)))
            skipped.Add($"{vm.Domain}: stopped during the window (one sample only)");

        double? nonVm = null;
        if (previous.HostBusyNanoseconds is { } busy0 && current.HostBusyNanoseconds is { } busy1 && busy1 >= busy0)
            nonVm = Math.Max(0, ((busy1 - busy0) / (window * NsPerSecond)) - measured.Sum(m => m.Used));
        var capacity = Math.Max(0, current.HostCpus - (nonVm ?? 0));

        var verdicts = Judge(measured, capacity, settings);
        return new ShareAuditResult
        {
            WindowSeconds = window,
            HostCpus = current.HostCpus,
            NonVmCores = nonVm,
            CapacityCores = capacity,
            Vms = verdicts,
            Transfers = Transfers(verdicts),
            Skipped = skipped,
        };
    }

    /// <summary>The tolerance around an entitlement: the larger of the absolute and the relative margin.</summary>
    public static double Tolerance(double entitledCores, ShareAuditSettings settings) =>
        Math.Max(settings.ToleranceCores, settings.ToleranceRatio * entitledCores);

    private static Measured? Measure(VmShareSample first, VmShareSample second, DateTimeOffset t0, DateTimeOffset t1)
    {
        var seconds = ((second.Timestamp ?? t1) - (first.Timestamp ?? t0)).TotalSeconds;
        if (!(seconds > 0) || Delta(first.CpuUsageNanoseconds, second.CpuUsageNanoseconds) is not { } usage) return null;
        return new Measured(
            second,
            seconds,
            usage / (seconds * NsPerSecond),
            Delta(first.ThrottledPeriods, second.ThrottledPeriods),
            Delta(first.PressureSomeMicroseconds, second.PressureSomeMicroseconds) is { } stall ? stall / (seconds * UsPerSecond) : null);
    }

    private static List<VmShareVerdict> Judge(List<Measured> measured, double capacity, ShareAuditSettings settings)
    {
        var rows = measured
            .OrderBy(m => m.Vm.VmId ?? int.MaxValue).ThenBy(m => m.Vm.Domain, StringComparer.Ordinal).ThenBy(m => m.Vm.Key, StringComparer.Ordinal)
            .Select(m => Row(m, settings))
            .ToList();
        var entitled = FairShare.Allocate(capacity, rows.Select(r => new FairShareClaim(r.Weight, Math.Min(r.Vcpus, r.DemandCores))).ToList());
        rows = rows.Select((r, i) => r with
        {
            EntitledCores = entitled[i],
            Starved = r.Wanted != DemandSignals.None && r.UsedCores < entitled[i] - Tolerance(entitled[i], settings),
        }).ToList();
        var anyStarved = rows.Any(r => r.Starved);
        return rows.Select(r => r with
        {
            Noisy = anyStarved && !r.Idle && r.UsedCores > r.EntitledCores + Tolerance(r.EntitledCores, settings),
        }).ToList();
    }

    private static VmShareVerdict Row(Measured m, ShareAuditSettings settings)
    {
        var vm = m.Vm;
        long? promised = vm.Cpu is { } cpu && vm.SharesVersion is { } version ? OneCpuShares.For(cpu, version) : null;
        var idle = m.Used < settings.IdleCores && !(m.Throttled > 0);
        var wanted = DemandSignals.None;
        if (!idle)
        {
            if (m.Throttled > 0) wanted |= DemandSignals.Throttled;
            if (m.Pressure >= settings.PressureThreshold) wanted |= DemandSignals.Pressure;
            if (m.Used >= vm.Vcpus * settings.CapRatio) wanted |= DemandSignals.AtCap;
        }
        return new VmShareVerdict
        {
            Vm = vm,
            PromisedShares = promised,
            Weight = promised ?? vm.AppliedShares ?? CpuShares.Default(vm.SharesVersion ?? CgroupVersion.V1),
            WindowSeconds = m.Seconds,
            UsedCores = m.Used,
            ThrottledPeriods = m.Throttled,
            CpuPressure = m.Pressure,
            Wanted = wanted,
            Idle = idle,
            DemandCores = wanted == DemandSignals.None ? m.Used : vm.Vcpus,
            EntitledCores = 0,
            Starved = false,
            Noisy = false,
        };
    }

    private static List<CpuTransfer> Transfers(List<VmShareVerdict> vms)
    {
        var noisy = vms.Where(v => v.Noisy).ToList();
        var excess = noisy.Sum(v => v.UsedCores - v.EntitledCores);
        if (excess <= 0) return [];
        return vms.Where(v => v.Starved)
            .SelectMany(victim => noisy.Select(taker => new CpuTransfer(
                taker.Domain,
                victim.Domain,
                (victim.EntitledCores - victim.UsedCores) * (taker.UsedCores - taker.EntitledCores) / excess,
                taker.AppliedShares > taker.PromisedShares)))
            .ToList();
    }

    /// <summary>Counter delta; null when either end is unknown or the counter went backwards (reset).</summary>
    private static ulong? Delta(ulong? before, ulong? after) =>
        before is { } b && after is { } a && a >= b ? a - b : null;

    private sealed record Measured(VmShareSample Vm, double Seconds, double Used, ulong? Throttled, double? Pressure);
}
