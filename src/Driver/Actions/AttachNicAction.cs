using OneKvm.Driver.Domain;

namespace OneKvm.Driver.Actions;

/// <summary>
/// <c>attach_nic &lt;deploy_id&gt; &lt;mac&gt; &lt;bridge&gt; &lt;model|-&gt; &lt;vn_mad&gt; &lt;target&gt;</c> with the action XML
/// on stdin: builds the <c>&lt;interface&gt;</c> of <c>NIC[ATTACH=YES]</c> (model, filter defaults from
/// kvmrc's <c>DEFAULT_ATTACH_NIC_*</c>) and hot-plugs it. Without action XML the arguments alone
/// describe the NIC. PCI passthrough NICs are not supported yet.
/// </summary>
public sealed class AttachNicAction : DriverAction
{
    public override string Name => "attach_nic";

    public override string Usage => "<deploy_id> <mac> <bridge> <model|-> <vn_mad> <target>  (action XML on stdin, optional)";

    public override int MinArguments => 6;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken)
    {
        var domain = args[0];
        var stdin = await context.Stdin.ReadToEndAsync(cancellationToken);
        var nic = new Dictionary<string, string>(StringComparer.Ordinal);
        var vcpus = 1;
        if (!string.IsNullOrWhiteSpace(stdin))
        {
            var action = await ActionXml.LoadAsync(null, new StringReader(stdin), cancellationToken);
            var template = action.Root?.Element("VM")?.Element("TEMPLATE");
            var attached = template?.Elements("NIC").FirstOrDefault(n => string.Equals(n.Element("ATTACH")?.Value, "YES", StringComparison.OrdinalIgnoreCase));
            if (attached is not null) nic = ActionXml.Attributes(attached);
            _ = int.TryParse(template?.Element("VCPU")?.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out vcpus);
        }
        nic["MAC"] = args[1];
        if (args[2] is { Length: > 0 } bridge && bridge != "-") nic["BRIDGE"] = bridge;
        if (args[3] is { Length: > 0 } model && model != "-") nic["MODEL"] = model;
        nic["TARGET"] = args[5];

        var vars = context.Settings.Kvmrc;
        var xml = InterfaceElement.Build(nic, vars.GetValueOrDefault("DEFAULT_ATTACH_NIC_MODEL"),
            vars.GetValueOrDefault("DEFAULT_ATTACH_NIC_FILTER"), Math.Max(vcpus, 1));
        var file = Path.Join(Path.GetTempPath(), $"onekvm-attach-{domain}-{args[5]}-{Environment.ProcessId}.xml");
        await File.WriteAllTextAsync(file, xml.ToString(), cancellationToken);
        try
        {
            await context.Virsh.RunAsync(["attach-device", domain, file], cancellationToken);
        }
        catch (Virsh.VirshException e)
        {
            throw new ActionFailedException($"Could not attach NIC {args[1]} to {domain}: {e.Message}", e);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
