using System.Globalization;

namespace OneKvm.Probes.Sampling;

/// <summary>
/// Previous <c>cpu.time</c> readings of the domains, keyed by <c>uuid/domain-id</c> (a restart gets a
/// new key): the baseline a snapshot's CPU figures are measured from. Kept in memory by the
/// <see cref="DomainSampler"/> and, between runs of a process, in the state directory.
/// </summary>
public sealed record CpuSampleFile(long TakenAtUnixMs, Dictionary<string, ulong> CpuTimeNs);

/// <summary>
/// The one rule for a VM's CPU figure, used by MONITOR_VM's <c>CPU</c> and the exporter's
/// <c>onekvm_vm_cpu_usage_ratio</c> alike: <c>Δcpu.time / Δt × 100</c> between a baseline and a
/// snapshot (percent of one host CPU, upstream's unit; <c>cpu.time</c> is the domain cgroup's, every
/// QEMU thread), rounded to two decimals. A domain without a baseline value (new VM, restart) or
/// whose counter went back (<see cref="CounterRate.Delta"/>) gets no figure rather than a wrong one.
/// </summary>
public static class DomainCpu
{
    /// <summary>The baseline a later snapshot can be measured from.</summary>
    public static CpuSampleFile Baseline(DomainSnapshot snapshot)
    {
        var map = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var d in snapshot.Domains)
        {
            if (d.Stats.Cpu?.TimeNs is { } ns) map[Key(d)] = ns;
        }
        return new CpuSampleFile(snapshot.TakenAt.ToUnixTimeMilliseconds(), map);
    }

    /// <summary>Pure: <paramref name="current"/> with each domain's <see cref="DomainEntry.CpuPercent"/> measured from <paramref name="baseline"/>.</summary>
    public static DomainSnapshot Measure(CpuSampleFile baseline, DomainSnapshot current)
    {
        var elapsedNs = (current.TakenAt.ToUnixTimeMilliseconds() - baseline.TakenAtUnixMs) * 1_000_000.0;
        if (elapsedNs <= 0) return current;
        return current with
        {
            CpuSince = DateTimeOffset.FromUnixTimeMilliseconds(baseline.TakenAtUnixMs),
            Domains = [.. current.Domains.Select(d =>
                d.Stats.Cpu?.TimeNs is { } now && baseline.CpuTimeNs.TryGetValue(Key(d), out var before) && CounterRate.Delta(before, now) is { } used
                    ? d with { CpuPercent = Math.Round(used / elapsedNs * 100, 2, MidpointRounding.AwayFromZero) }
                    : d with { CpuPercent = null })],
        };
    }

    private static string Key(DomainEntry d) => d.Id is { } id ? $"{d.Uuid}/{id.ToString(CultureInfo.InvariantCulture)}" : d.Uuid;
}
