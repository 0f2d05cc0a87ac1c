namespace OneKvm.Driver.Actions;

/// <summary>
/// <c>cancel &lt;deploy_id&gt;</c>: destroys the domain, retrying until libvirt no longer knows it
/// (upstream tries 60 times); fails <c>Could not destroy &lt;dom&gt;</c>.
/// </summary>
public sealed class CancelAction : DriverAction
{
    public const int Tries = 60;

    public override string Name => "cancel";

    public override string Usage => "<deploy_id> [<vm_id> <host>]";

    public override int MinArguments => 1;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken)
    {
        var domain = args[0];
        for (var attempt = 0; attempt < Tries; attempt++)
        {
            var state = await DomainState.GetAsync(context, domain, cancellationToken);
            if (state is null or "shut off") return;
            try
            {
                await context.Virsh.RunAsync(["destroy", domain], cancellationToken);
            }
            catch (Virsh.VirshException e)
            {
                context.Log.Warn($"destroy {domain}: {e.Message}");
                await Task.Delay(context.Settings.PollInterval, context.Time, cancellationToken);
            }
        }
        throw new ActionFailedException($"Could not destroy {domain}");
    }
}
