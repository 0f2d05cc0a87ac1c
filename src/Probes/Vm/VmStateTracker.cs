namespace OneKvm.Probes.Vm;

/// <summary>A VM as observed by one STATE_VM run.</summary>
public sealed record ObservedVm(int Id, string Uuid, string Name, string State);

/// <summary>One <c>VM = [ … STATE=… ]</c> line to print.</summary>
public sealed record VmStateReport(int Id, string DeployId, string State);

/// <summary>What a STATE_VM run prints: the sync header or not, then the VM lines.</summary>
public sealed record StateVmSample(bool Sync, string MissingState, IReadOnlyList<VmStateReport> Vms);

/// <summary>
/// Upstream's STATE_VM change detection, pure: the previous memory
/// and this run's observation in, the lines to print and the new memory out. Preserves: a VM's first
/// report, a report on every change, the full report every <c>SYNC_STATE_VM</c> seconds, and a grace
/// of <c>times_missing</c> consecutive misses before <c>MISSING_STATE</c>. A VM never seen is never
/// reported missing. Never call it when libvirt could not be read.
/// </summary>
public static class VmStateTracker
{
    public const string MissingState = "POWEROFF";

    public static (StateVmSample Sample, VmStateFile Next) Advance(
        VmStateFile? previous, IReadOnlyList<ObservedVm> observed, long nowUnixSeconds,
        int syncPeriodSeconds, int timesMissing, int obsoleteMinutes)
    {
        var rows = new Dictionary<string, VmStateRow>(StringComparer.Ordinal);
        foreach (var row in previous?.Vms ?? [])
        {
            if (nowUnixSeconds - row.TimestampUnixSeconds <= obsoleteMinutes * 60L) rows[row.Uuid] = row;
        }
        var lastSync = previous?.LastSyncUnixSeconds;
        var sync = lastSync is null || nowUnixSeconds > lastSync + syncPeriodSeconds || nowUnixSeconds < lastSync;
        if (sync) lastSync = nowUnixSeconds;

        var reports = new List<VmStateReport>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var vm in observed)
        {
            if (!seen.Add(vm.Uuid)) continue;
            rows.TryGetValue(vm.Uuid, out var old);
            if (old is null || old.State != vm.State || old.Id != vm.Id || sync) reports.Add(new VmStateReport(vm.Id, vm.Uuid, vm.State));
            rows[vm.Uuid] = new VmStateRow(vm.Uuid, vm.Id, vm.Uuid, vm.Name, vm.State, 0, nowUnixSeconds);
        }
        foreach (var row in rows.Values.Where(r => !seen.Contains(r.Uuid)).ToList())
        {
            if (row.Missing >= timesMissing)
            {
                reports.Add(new VmStateReport(row.Id, row.DeployId, MissingState));
                rows.Remove(row.Uuid);
                continue;
            }
            rows[row.Uuid] = row with { Missing = row.Missing + 1, TimestampUnixSeconds = nowUnixSeconds };
            if (sync) reports.Add(new VmStateReport(row.Id, row.DeployId, row.State));
        }
        var next = new VmStateFile(lastSync, [.. rows.Values.OrderBy(r => r.Id)]);
        return (new StateVmSample(sync, MissingState, reports), next);
    }
}
