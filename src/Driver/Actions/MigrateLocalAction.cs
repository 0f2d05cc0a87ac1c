using OneKvm.Driver.Virsh;

namespace OneKvm.Driver.Actions;

/// <summary>
/// <c>migrate_local &lt;deploy_id&gt; &lt;dst_host&gt; &lt;src_host&gt;</c>: upstream's shell variant of migrate,
/// run on the front-end (<c>-l migrate=migrate_local</c>): talks to the source host's libvirt at
/// <c>QEMU_PROTOCOL://src/system</c>, drops the snapshot metadata, migrates live with MIGRATE_OPTIONS
/// and, when that fails, destroys and undefines whatever reached the destination.
/// </summary>
public sealed class MigrateLocalAction : DriverAction
{
    public override string Name => "migrate_local";

    public override string Usage => "<deploy_id> <dst_host> <src_host> [<vm_id> <host>]";

    public override int MinArguments => 3;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken)
    {
        var domain = args[0];
        var source = MigrateAction.DestinationUri(context.Settings, Names.UriHost(args[2]));
        var destination = MigrateAction.DestinationUri(context.Settings, Names.UriHost(args[1]));
        await MigrationSteps.DropSnapshotMetadataAsync(context, domain, source, cancellationToken);
        if (context.Settings.CleanupMemoryOnStart) context.Log.Debug("CLEANUP_MEMORY_ON_START is done by the destination host's deploy, not from the front-end");

        var call = VirshCalls.Job(context, domain, ["migrate", "--live", .. context.Settings.MigrateOptions, "--", domain, destination], source);
        try
        {
            await context.Virsh.CallAsync(call, cancellationToken);
        }
        catch (VirshException e)
        {
            foreach (var cleanup in new[] { "destroy", "undefine" })
            {
                try
                {
                    await context.Virsh.CallAsync(new VirshCall([cleanup, "--", domain]) { Uri = destination }, cancellationToken);
                }
                catch (VirshException)
                {
                    // Nothing reached the destination.
                }
            }
            throw new ActionFailedException($"Could not migrate {domain} to {args[1]}: {VirshCalls.Reason(e, call)}", e);
        }
        if (context.Settings.SyncTime) SyncTimeAction.Start(context, domain, destination);
    }
}
