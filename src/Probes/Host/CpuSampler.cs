using OneKvm.Probes.Host.Kernel;
using OneKvm.Probes.State;

namespace OneKvm.Probes.Host;

/// <summary>
/// FREECPU / USEDCPU from <c>/proc/stat</c> deltas without a blocking sample on every run: the
/// reading of the previous run is kept in the state file, so repeated runs (the agent every 120 s,
/// or <c>--once</c> again) compare with it. Only when there is no usable previous reading (first
/// run, reboot, CPU hotplug, older than <see cref="MaxBaselineAgeSeconds"/>) are two readings taken
/// <see cref="ProbeSettings.FirstSampleWindowSeconds"/> apart. When no tick passed in between (a
/// frozen fixture tree), the average since boot is used.
/// </summary>
public static class CpuSampler
{
    /// <summary>State file name under <see cref="ProbeSettings.StateDirectory"/>.</summary>
    public const string StateFileName = "host-cpu.json";

    /// <summary>A previous reading older than this is an average over too long a time to be reported as current.</summary>
    public const double MaxBaselineAgeSeconds = 900;

    /// <summary>USER_HZ: <c>/proc/stat</c> ticks per second on every Linux architecture (<c>getconf CLK_TCK</c>).</summary>
    public const int TicksPerSecond = 100;

    public static async Task<CpuUsage?> SampleAsync(ProbeContext context, int onlineCpus, CancellationToken cancellationToken)
    {
        var stat = ProcStatParser.Read(context.Paths);
        var previous = StateFile.Load(context.Settings, StateFileName, HostStateJsonContext.Default.CpuSampleState);
        CpuTicks baseline;
        if (IsUsableBaseline(previous, stat, onlineCpus))
        {
            baseline = previous!.Ticks;
        }
        else
        {
            baseline = stat.Aggregate;
            await Task.Delay(TimeSpan.FromSeconds(context.Settings.FirstSampleWindowSeconds), context.Time, cancellationToken);
            stat = ProcStatParser.Read(context.Paths);
        }
        StateFile.SaveOrWarn(context, StateFileName, new CpuSampleState(stat.BootTimeSeconds, onlineCpus, stat.Aggregate), HostStateJsonContext.Default.CpuSampleState);
        var totalCpu = onlineCpus * 100;
        return CpuUsage.Between(baseline, stat.Aggregate, totalCpu) ?? CpuUsage.Between(CpuUsage.Boot, stat.Aggregate, totalCpu);
    }

    /// <summary>
    /// A previous reading is usable when it is from this boot and CPU set, the tick counters moved
    /// forward, and the ticks in between (per CPU, at 100 per second) span at most
    /// <see cref="MaxBaselineAgeSeconds"/>. Age is measured in ticks, not wall-clock time, so it is immune to clock steps.
    /// </summary>
    public static bool IsUsableBaseline(CpuSampleState? previous, ProcStat current, int onlineCpus)
    {
        if (previous is null || previous.OnlineCpus != onlineCpus || onlineCpus <= 0) return false;
        if (previous.BootTimeSeconds is { } pb && current.BootTimeSeconds is { } cb && Math.Abs(pb - cb) > 2) return false;
        if (current.Aggregate.Total <= previous.Ticks.Total) return false;
        var seconds = (current.Aggregate.Total - previous.Ticks.Total) / (double)(onlineCpus * TicksPerSecond);
        return seconds <= MaxBaselineAgeSeconds;
    }
}
