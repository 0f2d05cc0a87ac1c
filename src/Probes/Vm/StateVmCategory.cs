using System.Globalization;
using System.Text;
using OneKvm.Probes.OpenNebula;
using OneKvm.Probes.State;

namespace OneKvm.Probes.Vm;

/// <summary>
/// <c>STATE_VM</c> (upstream <c>vm/status</c>, opennebula-monitoring.md §9): state of each active
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
        var previous = StateFile.Load(settings, StateFileName, VmStateJson.Default.VmStateFile);
        var (sample, next) = VmStateTracker.Advance(previous, observed, snapshot.TakenAt.ToUnixTimeSeconds(),
            settings.SyncStatePeriodSeconds, settings.TimesMissing, settings.ObsoleteMinutes);
        StateFile.Save(settings, StateFileName, next, VmStateJson.Default.VmStateFile);
        return sample;
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
