using System.Xml.Linq;
using OneKvm.Driver.Virsh;

namespace OneKvm.Driver.Actions;

/// <summary>
/// migrate to another host when the system datastore is not shared (<c>SHARED=NO</c>), in upstream's
/// order (<see cref="LocalMigrationPlan"/>): snapshot metadata dropped, the destination prepared through
/// ssh, files rsynced, <c>virsh migrate … --suspend --copy-storage-all --migrate-disks</c>, qcow2 disks with
/// internal snapshots rsynced again, the domain resumed on the destination. A failed migration destroys
/// and undefines what reached the destination and removes the destination's VM directory (the domain
/// keeps running here). The source VM directory is <c>DATASTORE/BASE_PATH/&lt;vm_id&gt;</c> (else the
/// domain's <c>one:system_datastore</c>), the destination's <c>DISK_TARGET_PATH</c> (else the same path).
/// ssh commands are bounded (<see cref="RemoteTimeout"/>); rsync and the migration are jobs (ONEKVM_JOB_TIMEOUT).
/// Not done: a move between system datastores on one host (upstream's <c>blockcopy --pivot</c>).
/// </summary>
internal static class LocalStorageMigration
{
    /// <summary>Limit of one preparation command on the destination (mkdir, qemu-img create, ln).</summary>
    internal static readonly TimeSpan RemoteTimeout = TimeSpan.FromSeconds(120);

    public static async Task RunAsync(ActionContext context, IReadOnlyList<string> args, XElement action, string? vmDirectory, CancellationToken cancellationToken)
    {
        var (domain, destination) = (args[0], Names.UriHost(args[1]));
        var failure = $"Could not migrate {domain} to {args[1]}";
        if (string.Equals(args[1], args[2], StringComparison.Ordinal))
            throw new ActionFailedException($"{failure}: moving the disks to another system datastore on the same host (upstream's blockcopy) is not supported by OneKvm");
        var basePath = action.Element("DATASTORE")?.Element("BASE_PATH")?.Value.Trim();
        var sourceVmDir = !string.IsNullOrEmpty(basePath) && args.Count > 3 ? Path.Join(basePath, args[3]) : vmDirectory;
        if (string.IsNullOrEmpty(sourceVmDir))
            throw new ActionFailedException($"{failure}: the VM directory is unknown (no DATASTORE/BASE_PATH with the VM id, no one:system_datastore metadata)");
        var targetPath = action.Element("DISK_TARGET_PATH")?.Value.Trim();
        var destinationVmDir = string.IsNullOrEmpty(targetPath) ? sourceVmDir : targetPath;
        var destinationUri = MigrateAction.DestinationUri(context.Settings, destination);

        var domainXml = await context.RunAsync($"{failure}: cannot read the domain XML", ["dumpxml", "--", domain], cancellationToken);
        var disks = new List<MigrationDisk>();
        foreach (var (device, path, readOnly) in LocalMigrationPlan.DisksOf(domainXml))
            disks.Add(await LocalMigrationPlan.InspectAsync(device, path, readOnly, cancellationToken));
        var xmlFiles = Directory.Exists(sourceVmDir) ? Directory.GetFiles(sourceVmDir, "*.xml").Order(StringComparer.Ordinal).ToList() : [];
        var plan = LocalMigrationPlan.Build(domain, destination, destinationUri, sourceVmDir, destinationVmDir,
            disks, xmlFiles, MigrateAction.Options(context.Settings, action));
        context.Log.Debug($"local storage migration of {domain}:\n{plan}");

        await MigrationSteps.DropSnapshotMetadataAsync(context, domain, null, cancellationToken);
        foreach (var step in plan.Prepare) await RunToolAsync(context, $"{failure}: cannot prepare {destination}", step, RemoteTimeout, cancellationToken);
        if (plan.PreSync is { } preSync) await RunToolAsync(context, $"{failure}: cannot copy files to {destination}", preSync, context.Settings.JobTimeout, cancellationToken);

        var migrate = VirshCalls.Job(context, domain, plan.Migrate);
        try
        {
            await context.Virsh.CallAsync(migrate, cancellationToken);
        }
        catch (VirshException e)
        {
            foreach (var cleanup in new[] { "destroy", "undefine" })
            {
                try
                {
                    await context.Virsh.CallAsync(new VirshCall([cleanup, "--", domain]) { Uri = destinationUri, Timeout = TimeSpan.FromSeconds(60) }, cancellationToken);
                }
                catch (VirshException)
                {
                    // Nothing reached the destination.
                }
            }
            await TryRemoveAsync(context, destination, destinationVmDir, cancellationToken);
            throw new ActionFailedException($"{failure}: {VirshCalls.Reason(e, migrate)}", e);
        }

        if (plan.PostSync is { } postSync)
        {
            await RunToolAsync(context,
                $"{failure}: the domain is paused on {destination}, its internal snapshots not copied", postSync, context.Settings.JobTimeout, cancellationToken);
        }
        await context.RunAsync($"{domain} migrated to {args[1]} but could not be resumed there",
            new VirshCall(plan.Resume) { Uri = destinationUri }, cancellationToken);
    }

    /// <summary>Runs <c>ssh</c> or <c>rsync</c> (kvmrc's ONEKVM_SSH / ONEKVM_RSYNC may name other programs); a failure is one line with the tool's reason.</summary>
    private static async Task RunToolAsync(ActionContext context, string failure, string[] argv, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var program = argv[0] switch
        {
            "ssh" => context.Settings.SshPath,
            "rsync" => context.Settings.RsyncPath,
            var other => other,
        };
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(program, argv[1..], timeout: timeout, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or System.ComponentModel.Win32Exception)
        {
            throw new ActionFailedException($"{failure}: {string.Join(' ', argv)}: {e.Message}", e);
        }
        if (result.ExitCode != 0)
        {
            var said = VirshRunner.ErrorText(result.Stderr);
            context.Log.Error($"Command \"{string.Join(' ', argv)}\" failed: {said}");
            throw new ActionFailedException($"{failure}: {(said.Length > 0 ? said : $"{argv[0]} exited with status {result.ExitCode}")}");
        }
    }

    private static async Task TryRemoveAsync(ActionContext context, string destination, string directory, CancellationToken cancellationToken)
    {
        try
        {
            await RunToolAsync(context, $"cannot remove {directory} on {destination}",
                LocalMigrationPlan.Ssh(destination, ["rm", "-rf", "--", directory]), RemoteTimeout, cancellationToken);
        }
        catch (ActionFailedException e)
        {
            context.Log.Error(e.Message);
        }
    }
}
