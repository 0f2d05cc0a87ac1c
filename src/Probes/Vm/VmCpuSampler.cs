using OneKvm.Probes.State;
using OneKvm.Probes.Sampling;

namespace OneKvm.Probes.Vm;

/// <summary>
/// CPU use of each domain from two readings of <c>cpu.time</c> (ns, the domain cgroup: every QEMU
/// thread), as percent of one host CPU: <c>Δcpu.time / Δt × 100</c> — upstream's unit, without its
/// blocking 1-second sleep. The previous reading is kept in the state directory, so repeated
/// <c>--once</c> runs need no sleep; only when no usable previous reading exists (first run, or older
/// than <see cref="MaxWindow"/>, or clock gone backwards) a second bulk read is taken after
/// <see cref="ProbeSettings.FirstSampleWindowSeconds"/>. A VM without a usable previous value (new
/// VM, restart, counter reset) gets no CPU this time rather than a wrong one.
/// </summary>
public sealed class VmCpuSampler(string stateFileName)
{
    public static TimeSpan MaxWindow { get; } = TimeSpan.FromMinutes(15);

    /// <summary>Returns the snapshot to report (possibly a fresher second read) and CPU percent by UUID.</summary>
    public async Task<(DomainSnapshot Snapshot, IReadOnlyDictionary<string, double> CpuPercent)> SampleAsync(
        ProbeContext context, DomainSnapshot snapshot, CancellationToken cancellationToken)
    {
        var previous = StateFile.Load(context.Settings, stateFileName, VmStateJson.Default.CpuSampleFile);
        if (!Usable(previous, snapshot.TakenAt))
        {
            var first = ToFile(snapshot);
            await Task.Delay(TimeSpan.FromSeconds(context.Settings.FirstSampleWindowSeconds), context.Time, cancellationToken);
            snapshot = await VmInventory.ReadAsync(context, cancellationToken, notBefore: context.Time.GetUtcNow());
            previous = first;
        }
        var cpu = Compute(previous!, snapshot);
        StateFile.SaveOrWarn(context, stateFileName, ToFile(snapshot), VmStateJson.Default.CpuSampleFile);
        return (snapshot, cpu);
    }

    /// <summary>Pure: CPU percent per UUID between a previous file and a snapshot.</summary>
    public static IReadOnlyDictionary<string, double> Compute(CpuSampleFile previous, DomainSnapshot current)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        var elapsedNs = (current.TakenAt.ToUnixTimeMilliseconds() - previous.TakenAtUnixMs) * 1_000_000.0;
        if (elapsedNs <= 0) return result;
        foreach (var d in current.Domains)
        {
            if (d.Stats.Cpu?.TimeNs is not { } now || !previous.CpuTimeNs.TryGetValue(Key(d), out var before)
                || Sampling.CounterRate.Delta(before, now) is not { } used)
            {
                continue;
            }
            result[d.Uuid] = Math.Round(used / elapsedNs * 100, 2, MidpointRounding.AwayFromZero);
        }
        return result;
    }

    private static bool Usable(CpuSampleFile? previous, DateTimeOffset now)
    {
        if (previous is null) return false;
        var age = now - DateTimeOffset.FromUnixTimeMilliseconds(previous.TakenAtUnixMs);
        return age > TimeSpan.Zero && age <= MaxWindow;
    }

    private static CpuSampleFile ToFile(DomainSnapshot snapshot)
    {
        var map = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var d in snapshot.Domains)
        {
            if (d.Stats.Cpu?.TimeNs is { } ns) map[Key(d)] = ns;
        }
        return new CpuSampleFile(snapshot.TakenAt.ToUnixTimeMilliseconds(), map);
    }

    private static string Key(DomainEntry d) => d.Id is { } id ? $"{d.Uuid}/{id.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : d.Uuid;
}
