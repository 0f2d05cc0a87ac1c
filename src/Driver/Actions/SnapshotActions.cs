using System.Globalization;
using OneKvm.Driver.Virsh;

namespace OneKvm.Driver.Actions;

/// <summary>
/// <c>snapshot_create &lt;deploy_id&gt; &lt;snap_id&gt;</c>: <c>virsh snapshot-create-as --name snap-&lt;id&gt;</c> (a job,
/// retried while a block job is active); prints the third word of virsh's answer (<c>snap-&lt;id&gt;</c>,
/// oned's HYPERVISOR_ID) and keeps <c>snap-&lt;id&gt;.xml</c> in the VM directory. Failure exits 255 as upstream.
/// </summary>
public sealed class SnapshotCreateAction : DriverAction
{
    public override string Name => "snapshot_create";

    public override string Usage => "<deploy_id> <snap_id> [<vm_id> <host>]";

    public override int MinArguments => 2;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken)
    {
        var domain = args[0];
        if (!int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            throw new ActionFailedException($"Could not create snapshot for domain {domain}: snapshot id '{args[1]}' is not a whole number") { ExitCode = 255 };
        var name = $"snap-{id.ToString(CultureInfo.InvariantCulture)}";
        var directory = await SnapshotFiles.VmDirectoryAsync(context, domain, cancellationToken);
        var output = await Retry.OnBlockJobAsync(context, $"Could not create snapshot {name} for domain {domain}.",
            VirshCalls.Job(context, domain, ["snapshot-create-as", "--name", name, "--", domain]), cancellationToken, exitCode: 255);
        var words = output.Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
        await context.Stdout.WriteLineAsync(words.Length >= 3 ? words[2] : name);
        if (directory is null)
        {
            context.Log.Warn($"{domain} has no system_datastore metadata: {name}.xml not kept, the snapshot will not survive a poweroff");
            return;
        }
        try
        {
            await SnapshotFiles.DumpAsync(context, domain, directory, name, cancellationToken);
        }
        catch (ActionFailedException e)
        {
            context.Log.Warn(e.Message); // upstream: "|| true"
        }
    }
}

/// <summary><c>snapshot_revert &lt;deploy_id&gt; &lt;name&gt;</c>: <c>virsh snapshot-revert --force</c>, retried while a block job is active.</summary>
public sealed class SnapshotRevertAction : DriverAction
{
    public override string Name => "snapshot_revert";

    public override string Usage => "<deploy_id> <hypervisor_id> [<vm_id> <host>]";

    public override int MinArguments => 2;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken) =>
        await Retry.OnBlockJobAsync(context, $"Could not revert to snapshot {args[1]} for domain {args[0]}.",
            VirshCalls.Job(context, args[0], ["snapshot-revert", "--force", "--", args[0], args[1]]), cancellationToken);
}

/// <summary>
/// <c>snapshot_delete &lt;deploy_id&gt; &lt;name&gt;</c>: removes <c>&lt;name&gt;.xml</c> from the VM directory,
/// <c>virsh snapshot-delete</c>, and dumps the remaining snapshots' XML again (their parents changed).
/// </summary>
public sealed class SnapshotDeleteAction : DriverAction
{
    public override string Name => "snapshot_delete";

    public override string Usage => "<deploy_id> <hypervisor_id> [<vm_id> <host>]";

    public override int MinArguments => 2;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken)
    {
        var (domain, name) = (args[0], args[1]);
        var directory = await SnapshotFiles.VmDirectoryAsync(context, domain, cancellationToken);
        if (directory is not null && !name.Contains('/', StringComparison.Ordinal) && !name.StartsWith('.'))
            Files.TryDelete(Path.Join(directory, $"{name}.xml"));
        await context.RunAsync($"Could not delete snapshot {name} for domain {domain}.",
            VirshCalls.Job(context, domain, ["snapshot-delete", "--", domain, name]), cancellationToken);
        if (directory is null) return;
        var remaining = await context.Virsh.RunAsync(["snapshot-list", "--name", "--", domain], cancellationToken);
        foreach (var snapshot in remaining.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!snapshot.StartsWith("snap-", StringComparison.Ordinal)) continue;
            try
            {
                await SnapshotFiles.DumpAsync(context, domain, directory, snapshot, cancellationToken);
            }
            catch (ActionFailedException e)
            {
                context.Log.Warn(e.Message);
            }
        }
    }
}
