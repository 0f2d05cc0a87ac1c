namespace OneKvm.Driver.Actions;

/// <summary>
/// <c>migrate &lt;deploy_id&gt; &lt;dst_host&gt; &lt;src_host&gt;</c> (shared storage): live migration to
/// <c>QEMU_PROTOCOL://dst/system</c> with kvmrc's MIGRATE_OPTIONS and the VM template's
/// <c>FEATURES/MIGRATE_AUTO_CONVERGE</c> / <c>MIGRATE_COMPRESSED</c> when the action XML comes on stdin.
/// Snapshot metadata is removed first, as upstream does. Not done yet: the local-storage path (<c>--copy-storage-all</c> with rsync of snapshots).
/// </summary>
public sealed class MigrateAction : DriverAction
{
    public override string Name => "migrate";

    public override string Usage => "<deploy_id> <dst_host> <src_host> [<vm_id> <host>]  (action XML on stdin, optional)";

    public override int MinArguments => 3;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken)
    {
        var (domain, destination) = (args[0], args[1]);
        var actionXml = await context.Stdin.ReadToEndAsync(cancellationToken);
        var command = BuildCommand(domain, destination, context.Settings, actionXml);
        // libvirt refuses to migrate a domain with snapshot metadata; the XML of each snapshot is
        // kept in the system datastore by snapshot_create, so only the metadata goes.
        var snapshots = await context.Virsh.RunAsync(["snapshot-list", domain, "--name"], cancellationToken);
        foreach (var snapshot in snapshots.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            await context.Virsh.RunAsync(["snapshot-delete", domain, snapshot, "--metadata"], cancellationToken);
        }
        try
        {
            await context.Virsh.RunAsync(command, cancellationToken);
        }
        catch (Virsh.VirshException e)
        {
            throw new ActionFailedException($"Could not migrate {domain} to {destination}: {e.Message}", e);
        }
    }

    /// <summary>The virsh argument vector for a live migration (pure; tested as a table).</summary>
    internal static string[] BuildCommand(string domain, string destination, DriverSettings settings, string actionXml)
    {
        var command = new List<string> { "migrate", "--live" };
        command.AddRange(settings.MigrateOptions);
        var features = ReadFeatures(actionXml);
        if (features.TryGetValue("MIGRATE_AUTO_CONVERGE", out var converge) && converge.Length > 0)
        {
            var parts = converge.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            command.Add("--auto-converge");
            if (parts.Length > 0) command.AddRange(["--auto-converge-initial", parts[0]]);
            if (parts.Length > 1) command.AddRange(["--auto-converge-increment", parts[1]]);
        }
        if (features.TryGetValue("MIGRATE_COMPRESSED", out var compressed) && compressed.Equals("YES", StringComparison.OrdinalIgnoreCase))
        {
            command.Add("--compressed");
        }
        command.Add(domain);
        command.Add($"{settings.QemuProtocol}://{destination}/system");
        return [.. command];
    }

    private static Dictionary<string, string> ReadFeatures(string actionXml)
    {
        var features = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(actionXml)) return features;
        System.Xml.Linq.XDocument document;
        try
        {
            document = System.Xml.Linq.XDocument.Parse(actionXml);
        }
        catch (System.Xml.XmlException e)
        {
            throw new ActionFailedException($"action XML on stdin:{e.LineNumber}: not well-formed: {e.Message}", e);
        }
        var element = document.Root?.Element("VM")?.Element("TEMPLATE")?.Element("FEATURES");
        foreach (var child in element?.Elements() ?? []) features[child.Name.LocalName] = child.Value.Trim();
        return features;
    }
}
