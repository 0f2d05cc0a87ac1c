using OneKvm.Probes.Host.Kernel;
using OneKvm.Probes.Sampling;
using OneKvm.Probes.State;

namespace OneKvm.Probes.Host;

/// <summary>
/// FREECPU / USEDCPU from the <c>/proc/stat</c> of kernel snapshots, without a blocking sample on
/// every run: the reading of the previous run is kept in the state file, so repeated runs (the agent
/// every 120 s, or <c>--once</c> again) compare with it. Only when there is no usable previous
/// reading (first run, reboot, CPU hotplug, older than <see cref="MaxBaselineAgeSeconds"/>) is a
/// second snapshot taken <see cref="ProbeSettings.FirstSampleWindowSeconds"/> after the first. When
/// no tick passed in between (a frozen fixture tree), the average since boot is used.
/// </summary>
public static class CpuSampler
{
    /// <summary>State file name under <see cref="ProbeSettings.StateDirectory"/>.</summary>
    public const string StateFileName = "host-cpu.json";

    /// <summary>A previous reading older than this is an average over too long a time to be reported as current.</summary>
    public const double MaxBaselineAgeSeconds = 900;

    /// <summary>USER_HZ: <c>/proc/stat</c> ticks per second on every Linux architecture (<c>getconf CLK_TCK</c>).</summary>
    public const int TicksPerSecond = 100;

    /// <summary>
    /// The CPU use up to <paramref name="kernel"/>, or up to a snapshot read after the first-run window
    /// (<c>context.Host.Kernel</c>); returns the snapshot the interval ends at, so the caller projects the rest from it.
    /// </summary>
    /// <exception cref="ProbeException">a snapshot lacks <c>/proc/stat</c> or the online CPUs (names the file).</exception>
    public static async Task<(CpuUsage? Usage, KernelSnapshot Kernel)> SampleAsync(ProbeContext context, KernelSnapshot kernel, CancellationToken cancellationToken)
    {
        var stat = kernel.Require(kernel.Stat, KernelSnapshot.StatPart);
        var onlineCpus = kernel.Require(kernel.OnlineCpus, KernelSnapshot.OnlineCpusPart);
        var previous = StateFile.Load(context.Settings, StateFileName, HostStateJsonContext.Default.CpuSampleState);
        CpuTicks baseline;
        if (IsUsableBaseline(previous, stat, onlineCpus))
        {
            baseline = previous!.Ticks;
        }
        else
        {
            baseline = stat.Aggregate;
            // Kept before the wait: a run abandoned during it (a tick's timeout) leaves the next run a baseline.
            StateFile.SaveOrWarn(context, StateFileName, new CpuSampleState(stat.BootTimeSeconds, onlineCpus, stat.Aggregate), HostStateJsonContext.Default.CpuSampleState);
            await Task.Delay(TimeSpan.FromSeconds(context.Settings.FirstSampleWindowSeconds), context.Time, cancellationToken);
            kernel = await context.Host.Kernel.ReadAsync(cancellationToken, notBefore: context.Time.GetUtcNow());
            stat = kernel.Require(kernel.Stat, KernelSnapshot.StatPart);
            onlineCpus = kernel.Require(kernel.OnlineCpus, KernelSnapshot.OnlineCpusPart);
        }
        StateFile.SaveOrWarn(context, StateFileName, new CpuSampleState(stat.BootTimeSeconds, onlineCpus, stat.Aggregate), HostStateJsonContext.Default.CpuSampleState);
        var totalCpu = onlineCpus * 100;
        return (CpuUsage.Between(baseline, stat.Aggregate, totalCpu) ?? CpuUsage.Between(CpuUsage.Boot, stat.Aggregate, totalCpu), kernel);
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
