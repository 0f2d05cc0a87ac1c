namespace OneKvm.Driver.Actions;

/// <summary>
/// An action that is exactly one virsh command built from its arguments, e.g. <c>reset</c>
/// (<c>virsh reset &lt;dom&gt;</c>) or <c>snapshot_revert</c> (<c>virsh snapshot-revert --force &lt;dom&gt; &lt;snap&gt;</c>).
/// </summary>
public sealed class VirshCommandAction(
    string name,
    string usage,
    int minArguments,
    Func<IReadOnlyList<string>, string[]> command,
    Func<IReadOnlyList<string>, string> failure) : DriverAction
{
    public override string Name => name;

    public override string Usage => usage;

    public override int MinArguments => minArguments;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await context.Virsh.RunAsync(command(args), cancellationToken);
        }
        catch (Virsh.VirshException e)
        {
            throw new ActionFailedException($"{failure(args)}: {e.Message}", e);
        }
    }
}
