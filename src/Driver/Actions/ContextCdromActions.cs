using OneKvm.Driver.Virsh;

namespace OneKvm.Driver.Actions;

/// <summary>
/// <c>prereconfigure &lt;deploy_id&gt; &lt;context_target&gt;</c> (ATTACHNIC, DETACHNIC, UPDATECONF, before the TM
/// refreshes the context CD): ejects the context CD-ROM with <c>virsh change-media --eject --force</c>;
/// already empty is success. Without a target (a VM without context) there is nothing to do.
/// </summary>
public sealed class PrereconfigureAction : DriverAction
{
    public override string Name => "prereconfigure";

    public override string Usage => "<deploy_id> <context_target> [<vm_id> <host>]";

    public override int MinArguments => 1;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken)
    {
        if (args.Count < 2 || args[1].Length == 0) return;
        var (domain, target) = (args[0], Names.Target(args[1]));
        var list = await context.RunAsync($"Could not eject CDROM {target}", ["domblklist", "--", domain], cancellationToken);
        var source = list.Split('\n').Skip(2)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .FirstOrDefault(f => f.Length >= 2 && f[0] == target)?[1];
        if (source == "-")
        {
            context.Log.Debug("CDROM already ejected");
            return;
        }
        await context.RunAsync($"Could not eject CDROM {target}", ["change-media", "--eject", "--force", "--", domain, target], cancellationToken);
    }
}

/// <summary>
/// <c>reconfigure &lt;deploy_id&gt; &lt;context_target&gt; &lt;iso_path&gt;</c>: inserts the refreshed context ISO with
/// <c>virsh change-media --insert</c> (<c>--block</c> for a block device). Missing arguments: nothing to do.
/// </summary>
public sealed class ReconfigureAction : DriverAction
{
    public override string Name => "reconfigure";

    public override string Usage => "<deploy_id> <context_target> <iso_path> [<vm_id> <host>]";

    public override int MinArguments => 1;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken)
    {
        if (args.Count < 3 || args[1].Length == 0 || args[2].Length == 0) return;
        var (domain, target, iso) = (args[0], Names.Target(args[1]), args[2]);
        string[] command = await IsBlockDeviceAsync(iso, cancellationToken)
            ? ["change-media", "--insert", "--block", "--", domain, target, iso]
            : ["change-media", "--insert", "--", domain, target, iso];
        await context.RunAsync($"Could not insert CDROM {iso} to {target}", command, cancellationToken);
    }

    /// <summary>As upstream's <c>test -b</c>.</summary>
    private static async Task<bool> IsBlockDeviceAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var test = await ProcessRunner.RunAsync("test", ["-b", path], timeout: TimeSpan.FromSeconds(10), cancellationToken: cancellationToken);
            return test.ExitCode == 0;
        }
        catch (Exception e) when (e is TimeoutException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
