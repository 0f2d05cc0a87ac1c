namespace OneKvm.Driver.Actions;

/// <summary>
/// <c>restore &lt;checkpoint_file&gt; &lt;host&gt; &lt;deploy_id&gt;</c>: wakes a <c>pmsuspended</c> domain, else
/// <c>virsh restore</c> (retried VIRSH_RETRIES times), then removes the checkpoint.
/// Not done yet: rewriting system-datastore paths when the VM moved datastores
/// (upstream's <c>save-image-dumpxml</c> → <c>restore --xml</c>) and the <c>domtime --sync</c> of SYNC_TIME.
/// </summary>
public sealed class RestoreAction : DriverAction
{
    public override string Name => "restore";

    public override string Usage => "<checkpoint_file> <host> <deploy_id> [<vm_id> <host>]";

    public override int MinArguments => 3;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken)
    {
        var (file, domain) = (args[0], args[2]);
        if (await DomainState.GetAsync(context, domain, cancellationToken) == "pmsuspended")
        {
            await context.Virsh.RunAsync(["dompmwakeup", domain], cancellationToken);
            return;
        }
        if (!File.Exists(file)) throw new ActionFailedException($"checkpoint {file} does not exist");

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await context.Virsh.RunAsync(["restore", file], cancellationToken);
                break;
            }
            catch (Virsh.VirshException e) when (attempt < context.Settings.VirshRetries)
            {
                context.Log.Warn($"restore {file} failed ({attempt}/{context.Settings.VirshRetries}): {e.Message}");
                await Task.Delay(context.Settings.PollInterval, context.Time, cancellationToken);
            }
            catch (Virsh.VirshException e)
            {
                throw new ActionFailedException($"Could not restore from {file}: {e.Message}", e);
            }
        }
        File.Delete(file);
    }
}
