using OneKvm.Driver.Domain;

namespace OneKvm.Driver.Actions;

/// <summary>
/// <c>attach_disk &lt;deploy_id&gt; &lt;disk_source_path&gt; &lt;target&gt; &lt;target_index&gt; [&lt;base64 action&gt;]</c>:
/// builds the <c>&lt;disk&gt;</c> of the VM's <c>DISK[ATTACH=YES]</c> (defaults from kvmrc's
/// <c>DEFAULT_ATTACH_*</c>) and hot-plugs it with <c>virsh attach-device</c>.
/// </summary>
public sealed class AttachDiskAction : DriverAction
{
    public override string Name => "attach_disk";

    public override string Usage => "<deploy_id> <disk_source_path> <target> <target_index> [<base64 action>]  (or action XML on stdin)";

    public override int MinArguments => 4;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken)
    {
        var (domain, source, target) = (args[0], args[1], args[2]);
        var action = await ActionXml.LoadAsync(args.Count > 4 ? args[4] : null, context.Stdin, cancellationToken);
        var template = action.Root?.Element("VM")?.Element("TEMPLATE");
        var diskElement = template?.Elements("DISK").FirstOrDefault(d => string.Equals(d.Element("ATTACH")?.Value, "YES", StringComparison.OrdinalIgnoreCase))
            ?? throw new ActionFailedException("the action data has no DISK with ATTACH=YES");
        var disk = ActionXml.Attributes(diskElement);
        disk["TARGET"] = target;
        var machine = template?.Element("OS")?.Element("MACHINE")?.Value ?? "pc";

        System.Xml.Linq.XElement xml;
        try
        {
            xml = DiskElement.Build(disk, context.Settings.AttachDiskDefaults, source, machine);
        }
        catch (Exception e) when (e is FormatException or NotSupportedException)
        {
            throw new ActionFailedException(e.Message, e);
        }

        var file = Path.Join(Path.GetTempPath(), $"onekvm-attach-{domain}-{target}-{Environment.ProcessId}.xml");
        await File.WriteAllTextAsync(file, xml.ToString(), cancellationToken);
        try
        {
            await context.Virsh.RunAsync(["attach-device", domain, file], cancellationToken);
        }
        catch (Virsh.VirshException e)
        {
            throw new ActionFailedException($"Could not attach {source} ({target}) to {domain}: {e.Message}", e);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
