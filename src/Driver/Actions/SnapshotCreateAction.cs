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
        await Retry.OnBlockJobAsync(context, $"Could not create snapshot {name} of {args[0]}",
            () => context.Virsh.RunAsync(["snapshot-create-as", args[0], "--name", name], cancellationToken), cancellationToken);
        await context.Stdout.WriteLineAsync(name);
    }
}
