namespace OneKvm.Driver.Actions;

/// <summary>
/// An action that is exactly one virsh command built from its arguments, e.g. <c>reset</c>
/// (<c>virsh reset -- &lt;dom&gt;</c>).
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

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken) =>
        await context.RunAsync(failure(args), command(args), cancellationToken);
}
