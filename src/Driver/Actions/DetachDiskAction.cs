namespace OneKvm.Driver.Actions;

/// <summary>
/// <c>detach_disk &lt;deploy_id&gt; &lt;disk_source_path&gt; &lt;target&gt; &lt;target_index&gt;</c>:
/// <c>virsh detach-disk --domain D --target T</c>, then waits until the target is gone from the live
/// domain. A guest that never releases the device (virtio unplug needs the guest OS) fails the action
/// with that reason rather than reporting success.
/// </summary>
public sealed class DetachDiskAction : DriverAction
{
    public override string Name => "detach_disk";

    public override string Usage => "<deploy_id> <disk_source_path> <target> <target_index>";

    public override int MinArguments => 3;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken)
    {
        var (domain, target) = (args[0], args[2]);
        if (!await HasTargetAsync(context, domain, target, cancellationToken))
        {
            context.Log.Info($"{target} is not attached to {domain}");
            return;
        }
        try
        {
            await context.Virsh.RunAsync(["detach-disk", "--domain", domain, "--target", target], cancellationToken);
        }
        catch (Virsh.VirshException e)
        {
            throw new ActionFailedException($"Could not detach {target} from {domain}: {e.Message}", e);
        }

        var start = context.Time.GetTimestamp();
        while (await HasTargetAsync(context, domain, target, cancellationToken))
        {
            if (context.Time.GetElapsedTime(start) >= context.Settings.DetachTimeout)
            {
                throw new ActionFailedException(
                    $"Could not detach {target} from {domain}: the guest did not release the device within {context.Settings.DetachTimeout.TotalSeconds:0} s");
            }
            await Task.Delay(context.Settings.PollInterval, context.Time, cancellationToken);
        }
    }

    private static async Task<bool> HasTargetAsync(ActionContext context, string domain, string target, CancellationToken cancellationToken)
    {
        var list = await context.Virsh.RunAsync(["domblklist", domain], cancellationToken);
        return list.Split('\n').Skip(2).Any(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var t, ..] && t == target);
    }
}
