using System.Globalization;

namespace OneKvm.Driver.Actions;

/// <summary>
/// <c>snapshot_create &lt;deploy_id&gt; &lt;snap_id&gt;</c>: <c>virsh snapshot-create-as &lt;dom&gt; --name snap-&lt;id&gt;</c>,
/// retried while a block job is active; prints <c>snap-&lt;id&gt;</c> (oned's HYPERVISOR_ID).
/// </summary>
public sealed class SnapshotCreateAction : DriverAction
{
    public override string Name => "snapshot_create";

    public override string Usage => "<deploy_id> <snap_id> [<vm_id> <host>]";

    public override int MinArguments => 2;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken)
    {
        if (!int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            throw new ActionFailedException($"snapshot id '{args[1]}' is not a whole number");
        var name = $"snap-{id.ToString(CultureInfo.InvariantCulture)}";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await context.Virsh.RunAsync(["snapshot-create-as", args[0], "--name", name], cancellationToken);
                break;
            }
            catch (Probes.Virsh.VirshException e) when (attempt < context.Settings.VirshRetries
                && e.Message.Contains("block job", StringComparison.OrdinalIgnoreCase))
            {
                context.Log.Info($"active block job on {args[0]}, retrying ({attempt}/{context.Settings.VirshRetries})");
                await Task.Delay(TimeSpan.FromSeconds(5), context.Time, cancellationToken);
            }
            catch (Probes.Virsh.VirshException e)
            {
                throw new ActionFailedException($"Could not create snapshot {name} of {args[0]}: {e.Message}", e);
            }
        }
        await context.Stdout.WriteLineAsync(name);
    }
}
