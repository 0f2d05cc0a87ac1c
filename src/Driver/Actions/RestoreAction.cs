using OneKvm.Driver.Virsh;

namespace OneKvm.Driver.Actions;

/// <summary>
/// <c>restore &lt;checkpoint_file&gt; &lt;host&gt; &lt;deploy_id&gt;</c>: wakes a <c>pmsuspended</c> domain, else
/// <c>virsh restore</c> (a job, retried VIRSH_RETRIES times), <c>domtime --sync</c> when SYNC_TIME=yes,
/// removes the checkpoint and redefines the snapshots kept next to it.
/// Not done: rewriting system-datastore paths when the VM moved datastores (upstream's
/// <c>save-image-dumpxml</c> → <c>restore --xml</c>).
/// </summary>
public sealed class RestoreAction : DriverAction
{
    public override string Name => "restore";

    public override string Usage => "<checkpoint_file> <host> <deploy_id> [<vm_id> <host>]";

    public override int MinArguments => 3;

    public override int? DomainArgument => 2;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken)
    {
        var (file, domain) = (args[0], args[2]);
        if (await DomainState.GetAsync(context, domain, cancellationToken) == "pmsuspended")
        {
            await context.RunAsync($"Could not wake up {domain}", ["dompmwakeup", "--", domain], cancellationToken);
            return;
        }
        if (!File.Exists(file)) throw new ActionFailedException($"Could not restore from {file}: the checkpoint does not exist");

        var tries = Math.Max(context.Settings.VirshRetries, 1);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await context.Virsh.CallAsync(new VirshCall(["restore", "--", file]) { Job = true, Timeout = context.Settings.JobTimeout }, cancellationToken);
                break;
            }
            catch (VirshException e) when (attempt < tries && !e.TimedOut)
            {
                context.Log.Warn($"restore {file} failed ({attempt}/{tries}): {e.Message}");
                await Task.Delay(context.Settings.PollInterval, context.Time, cancellationToken);
            }
            catch (VirshException e)
            {
                var state = e.TimedOut ? $" ({domain} is {await DomainState.GetAsync(context, domain, cancellationToken) ?? "not defined"})" : "";
                throw new ActionFailedException($"Could not restore from {file}: {e.Message}{state}", e);
            }
        }
        if (context.Settings.SyncTime) await SyncTimeAsync(context, domain, null, cancellationToken);
        Files.TryDelete(file);
        await SnapshotFiles.RedefineAllAsync(context, domain, Path.GetDirectoryName(Path.GetFullPath(file))!, null, cancellationToken);
    }

    /// <summary>SYNC_TIME: sets the guest clock through the agent; needs a guest agent, so failures are only logged.</summary>
    internal static async Task SyncTimeAsync(ActionContext context, string domain, string? uri, CancellationToken cancellationToken)
    {
        try
        {
            await context.Virsh.CallAsync(new VirshCall(["domtime", "--sync", "--", domain]) { Uri = uri, Timeout = TimeSpan.FromSeconds(20) }, cancellationToken);
        }
        catch (VirshException e)
        {
            context.Log.Info($"guest time of {domain} not synchronised: {e.Message}");
        }
    }
}
