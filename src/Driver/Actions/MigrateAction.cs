using OneKvm.Driver.Virsh;

namespace OneKvm.Driver.Actions;

/// <summary>
/// <c>migrate &lt;deploy_id&gt; &lt;dst_host&gt; &lt;src_host&gt;</c>: live migration to
/// <c>QEMU_PROTOCOL://dst/system</c> with kvmrc's MIGRATE_OPTIONS and the VM template's
/// <c>FEATURES/MIGRATE_AUTO_CONVERGE</c> / <c>MIGRATE_COMPRESSED</c> when the action XML comes on stdin.
/// The snapshot metadata is removed first (libvirt refuses to migrate a domain with snapshots) and,
/// from the <c>snap-*.xml</c> kept in the VM directory, redefined on the destination afterwards.
/// A system datastore with <c>SHARED=NO</c> migrates as upstream does (<see cref="LocalStorageMigration"/>):
/// files synced with rsync, placeholder images made on the destination through ssh, libvirt copying the
/// disks (<c>--copy-storage-all --migrate-disks</c>), the domain resumed on the destination.
/// The migration is a job: no limit unless ONEKVM_JOB_TIMEOUT, then <c>domjobabort</c> (the VM stays here).
/// </summary>
public sealed class MigrateAction : DriverAction
{
    public override string Name => "migrate";

    public override string Usage => "<deploy_id> <dst_host> <src_host> [<vm_id> <host>]  (action XML on stdin, optional)";

    public override int MinArguments => 3;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken)
    {
        var domain = args[0];
        var destination = Names.UriHost(args[1]);
        var actionXml = await context.Stdin.ReadToEndAsync(cancellationToken);
        var action = ActionData(actionXml);
        var vmDirectory = await SnapshotFiles.VmDirectoryAsync(context, domain, cancellationToken);
        var target = DestinationUri(context.Settings, destination);
        if (IsLocalStorage(action))
        {
            await LocalStorageMigration.RunAsync(context, args, action!, vmDirectory, cancellationToken);
        }
        else
        {
            var command = BuildCommand(domain, destination, context.Settings, actionXml);
            await MigrationSteps.DropSnapshotMetadataAsync(context, domain, null, cancellationToken);
            var call = VirshCalls.Job(context, domain, command);
            await context.RunAsync($"Could not migrate {domain} to {args[1]}", call, cancellationToken);
        }

        if (vmDirectory is not null) await SnapshotFiles.RedefineAllAsync(context, domain, vmDirectory, null, cancellationToken, target);
        if (context.Settings.SyncTime) SyncTimeAction.Start(context, domain, target);
    }

    /// <summary>The system datastore is not shared (<c>DATASTORE/TEMPLATE/SHARED=NO</c>): the disks move with the domain.</summary>
    internal static bool IsLocalStorage(System.Xml.Linq.XElement? action) =>
        string.Equals(action?.Element("DATASTORE")?.Element("TEMPLATE")?.Element("SHARED")?.Value.Trim(), "NO", StringComparison.OrdinalIgnoreCase);

    internal static string DestinationUri(DriverSettings settings, string host) => $"{settings.QemuProtocol}://{host}/system";

    /// <summary>The virsh argument vector for a live migration on shared storage (pure; tested as a table). <paramref name="destination"/> is already checked.</summary>
    internal static string[] BuildCommand(string domain, string destination, DriverSettings settings, string actionXml) =>
        ["migrate", "--live", .. Options(settings, ActionData(actionXml)), "--", domain, DestinationUri(settings, destination)];

    /// <summary>kvmrc's MIGRATE_OPTIONS, then the VM template's <c>FEATURES/MIGRATE_AUTO_CONVERGE</c> and <c>MIGRATE_COMPRESSED</c>.</summary>
    internal static List<string> Options(DriverSettings settings, System.Xml.Linq.XElement? action)
    {
        var command = new List<string>(settings.MigrateOptions);
        var features = action?.Element("VM")?.Element("TEMPLATE")?.Element("FEATURES");
        string? Feature(string name) => features?.Element(name)?.Value.Trim() is { Length: > 0 } v ? v : null;
        if (Feature("MIGRATE_AUTO_CONVERGE") is { } converge)
        {
            var parts = converge.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            command.Add("--auto-converge");
            if (parts.Length > 0) command.AddRange(["--auto-converge-initial", parts[0]]);
            if (parts.Length > 1) command.AddRange(["--auto-converge-increment", parts[1]]);
        }
        if (string.Equals(Feature("MIGRATE_COMPRESSED"), "YES", StringComparison.OrdinalIgnoreCase)) command.Add("--compressed");
        return command;
    }

    internal static System.Xml.Linq.XElement? ActionData(string actionXml)
    {
        if (string.IsNullOrWhiteSpace(actionXml)) return null;
        try
        {
            return System.Xml.Linq.XDocument.Parse(actionXml).Root;
        }
        catch (System.Xml.XmlException e)
        {
            throw new ActionFailedException($"action XML on stdin:{e.LineNumber}: not well-formed: {e.Message}", e);
        }
    }
}

/// <summary>Steps migrate and migrate_local share.</summary>
internal static class MigrationSteps
{
    /// <summary>libvirt refuses to migrate a domain with snapshot metadata; the XML stays in the VM directory.</summary>
    public static async Task DropSnapshotMetadataAsync(ActionContext context, string domain, string? uri, CancellationToken cancellationToken)
    {
        var list = await context.RunAsync($"Failed to get snapshots for {domain}",
            new VirshCall(["snapshot-list", "--name", "--", domain]) { Uri = uri }, cancellationToken);
        foreach (var snapshot in list.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            await context.RunAsync($"Failed to delete snapshot {snapshot} from {domain}",
                new VirshCall(["snapshot-delete", "--metadata", "--", domain, snapshot]) { Uri = uri }, cancellationToken);
        }
    }
}
