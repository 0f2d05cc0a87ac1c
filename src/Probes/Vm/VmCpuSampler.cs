using OneKvm.Probes.State;
using OneKvm.Probes.Sampling;

namespace OneKvm.Probes.Vm;

/// <summary>
/// MONITOR_VM's CPU: the figure the domain snapshot carries (<see cref="DomainCpu"/>, measured by the
/// process's <see cref="DomainSampler"/> from its previous read), so MONITOR_VM and the exporter
/// report the same CPU from the same snapshot. A process's first snapshot has none: its baseline is
/// then the reading kept in the state directory by the previous run (so repeated <c>--once</c> runs
/// need no sleep), and only when no usable one exists (first run, older than <see cref="MaxWindow"/>,
/// clock gone backwards) a second bulk read is taken after <see cref="ProbeSettings.FirstSampleWindowSeconds"/>
/// — upstream sleeps one second on every run.
/// </summary>
public sealed class VmCpuSampler(string stateFileName)
{
    public static TimeSpan MaxWindow { get; } = TimeSpan.FromMinutes(15);

    /// <summary>Returns the snapshot to report (possibly a fresher second read), its domains' <see cref="DomainEntry.CpuPercent"/> measured.</summary>
    public async Task<DomainSnapshot> SampleAsync(ProbeContext context, DomainSnapshot snapshot, CancellationToken cancellationToken)
    {
        if (snapshot.CpuSince is null)
        {
            var previous = StateFile.Load(context.Settings, stateFileName, VmStateJson.Default.CpuSampleFile);
            if (!Usable(previous, snapshot.TakenAt))
            {
                previous = DomainCpu.Baseline(snapshot);
                await Task.Delay(TimeSpan.FromSeconds(context.Settings.FirstSampleWindowSeconds), context.Time, cancellationToken);
                snapshot = await VmInventory.ReadAsync(context, cancellationToken, notBefore: context.Time.GetUtcNow());
            }
            if (snapshot.CpuSince is null) snapshot = DomainCpu.Measure(previous!, snapshot);
        }
        StateFile.SaveOrWarn(context, stateFileName, DomainCpu.Baseline(snapshot), VmStateJson.Default.CpuSampleFile);
        return snapshot;
    }

    private static bool Usable(CpuSampleFile? previous, DateTimeOffset now)
    {
        if (previous is null) return false;
        var age = now - DateTimeOffset.FromUnixTimeMilliseconds(previous.TakenAtUnixMs);
        return age > TimeSpan.Zero && age <= MaxWindow;
    }
}
