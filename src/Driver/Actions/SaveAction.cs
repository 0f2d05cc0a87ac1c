using System.Globalization;

namespace OneKvm.Driver.Actions;

/// <summary>
/// <c>save &lt;deploy_id&gt; &lt;checkpoint_file&gt;</c>: keeps an existing checkpoint as
/// <c>&lt;file&gt;.&lt;epoch&gt;</c>, then <c>virsh save</c> (a job: no limit unless ONEKVM_JOB_TIMEOUT, then
/// aborted so the domain keeps running), retried while a block job is active.
/// </summary>
public sealed class SaveAction : DriverAction
{
    public override string Name => "save";

    public override string Usage => "<deploy_id> <checkpoint_file> [<vm_id> <host>]";

    public override int MinArguments => 2;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken)
    {
        var (domain, file) = (args[0], args[1]);
        try
        {
            if (File.Exists(file))
            {
                var kept = $"{file}.{context.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
                File.Move(file, kept, overwrite: true);
                context.Log.Info($"previous checkpoint kept as {kept}");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ActionFailedException($"Could not save {domain} to {file}: cannot move the previous checkpoint aside: {e.Message}", e);
        }
        await Retry.OnBlockJobAsync(context, $"Could not save {domain} to {file}",
            VirshCalls.Job(context, domain, ["save", "--", domain, file]), cancellationToken);
    }
}
