using System.Globalization;
using System.Text;
using OneKvm.Probes.OpenNebula;
using OneKvm.Probes.State;

namespace OneKvm.Probes.Vm;

/// <summary>
/// <c>STATE_VM</c> (upstream <c>vm/status</c>): state of each active
/// <c>one-&lt;ID&gt;</c> domain from the bulk stats read, reported when new or changed, all of them
/// with <c>SYNC_STATE=yes</c> / <c>MISSING_STATE=POWEROFF</c> every <c>SYNC_STATE_VM</c> seconds.
/// The memory is <c>state_vm.json</c> in the state directory. If libvirt cannot be read the category
/// fails and the memory is left untouched: no miss is counted, nothing turns POWEROFF (#5564).
/// </summary>
public sealed class StateVmCategory : Category<StateVmSample>
{
    public const string StateFileName = "state_vm.json";

    public override string Name => "state_vm";

    public override string MessageType => "STATE_VM";

    public override async Task<StateVmSample> CollectAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        var snapshot = await VmInventory.ReadAsync(context, cancellationToken);
        var observed = VmInventory.OneVms(snapshot).OrderBy(v => v.Id)
            .Select(v => new ObservedVm(v.Id, v.Domain.Uuid, v.Domain.Name, VmStateMapping.ToOpenNebula(v.Domain.Stats.State)))
            .ToList();
        var settings = context.Settings;
        var previous = Valid(context, StateFile.Load(settings, StateFileName, VmStateJson.Default.VmStateFile));
        var (sample, next) = VmStateTracker.Advance(previous, observed, snapshot.TakenAt.ToUnixTimeSeconds(),
            settings.SyncStatePeriodSeconds, settings.TimesMissing, settings.ObsoleteMinutes);
        StateFile.Save(settings, StateFileName, next, VmStateJson.Default.VmStateFile);
        return sample;
    }

    /// <summary>
    /// The remembered rows that are facts: a <c>null</c> row, or one without a UUID (a hand-edited or
    /// foreign file), is dropped with a warning; the file is rewritten without it by this run.
    /// </summary>
    internal static VmStateFile? Valid(ProbeContext context, VmStateFile? file)
    {
        if (file is null) return null;
        var path = Path.Join(context.Settings.StateDirectory, StateFileName);
        if (file.Vms is null)
        {
            context.Warn($"warning: {path}: no Vms list: remembered states dropped");
            return file with { Vms = [] };
        }
        var rows = new List<VmStateRow>(file.Vms.Count);
        for (var i = 0; i < file.Vms.Count; i++)
        {
            var row = file.Vms[i];
            if (row is null || string.IsNullOrEmpty(row.Uuid) || string.IsNullOrEmpty(row.State))
            {
                context.Warn($"warning: {path}: Vms[{i.ToString(CultureInfo.InvariantCulture)}] is {(row is null ? "null" : "missing its Uuid or State")}: row dropped");
                continue;
            }
            rows.Add(row with { DeployId = string.IsNullOrEmpty(row.DeployId) ? row.Uuid : row.DeployId });
        }
        return file with { Vms = rows };
    }

    public override string Render(StateVmSample sample, ProbeContext context)
    {
        var text = new StringBuilder();
        if (sample.Sync) text.Append("SYNC_STATE=yes\nMISSING_STATE=").Append(sample.MissingState).Append('\n');
        foreach (var vm in sample.Vms)
        {
            // Two spaces before STATE, as upstream prints it.
            text.Append("VM = [ ID=\"").Append(vm.Id.ToString(CultureInfo.InvariantCulture))
                .Append("\", DEPLOY_ID=\"").Append(TemplateWriter.Escape(vm.DeployId))
                .Append("\",  STATE=\"").Append(vm.State).Append("\" ]\n");
        }
        return text.ToString();
    }
}
