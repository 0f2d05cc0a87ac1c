using System.Globalization;
using System.Xml.Linq;
using OneKvm.Driver.Virsh;

namespace OneKvm.Driver.Actions;

/// <summary>
/// <c>resize &lt;deploy_id&gt;</c> with the action XML on stdin (live resize): memory changed →
/// <c>MEMORY_RESIZE_MODE=HOTPLUG</c> attaches / detaches a <c>&lt;memory model='dimm'&gt;</c> of the difference,
/// else <c>virsh setmem</c> (balloon) to MEMORY×1024 KiB; VCPU changed → <c>setvcpus --live --hotpluggable</c>.
/// Old values from <c>TEMPLATE/RESIZE</c>. No action XML: nothing to do (as upstream).
/// </summary>
public sealed class ResizeAction : DriverAction
{
    public override string Name => "resize";

    public override string Usage => "<deploy_id> [<vm_id> <host>]  (action XML on stdin)";

    public override int MinArguments => 1;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken)
    {
        var domain = args[0];
        var text = await context.Stdin.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text)) return;
        var action = await ActionXml.LoadAsync(null, new StringReader(text), cancellationToken);
        var template = action.Root?.Element("VM")?.Element("TEMPLATE");
        long? Number(XElement? element, string what) =>
            element?.Value.Trim() is not { Length: > 0 } value ? null
            : long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
            : throw new ActionFailedException($"Could not resize {domain}: {what}='{value}' is not a whole number");
        var memory = Number(template?.Element("MEMORY"), "MEMORY");
        var oldMemory = Number(template?.Element("RESIZE")?.Element("MEMORY"), "RESIZE/MEMORY");
        var vcpu = Number(template?.Element("VCPU"), "VCPU");
        var oldVcpu = Number(template?.Element("RESIZE")?.Element("VCPU"), "RESIZE/VCPU");

        if (memory is { } mem && mem != oldMemory)
        {
            if (context.Settings.CleanupMemoryOnStart) await MemoryCleanup.RunAsync(context, cancellationToken);
            var hotplug = string.Equals(template?.Element("MEMORY_RESIZE_MODE")?.Value.Trim(), "HOTPLUG", StringComparison.OrdinalIgnoreCase);
            if (hotplug && oldMemory is { } old)
            {
                var xml = await context.RunAsync($"Could not resize memory of {domain}", ["dumpxml", "--", domain], cancellationToken);
                var node = XDocument.Parse(xml).Root?.Element("cpu")?.Element("numa")?.Element("cell")?.Attribute("id")?.Value ?? "0";
                var dimm = new XElement("memory", new XAttribute("model", "dimm"),
                    new XElement("target",
                        new XElement("size", new XAttribute("unit", "MiB"), Math.Abs(mem - old).ToString(CultureInfo.InvariantCulture)),
                        new XElement("node", node)));
                await context.RunAsync($"Could not resize memory of {domain} to {mem} MiB",
                    new VirshCall([mem > old ? "attach-device" : "detach-device", "--live", "--", domain, "/dev/stdin"]) { Stdin = dimm.ToString() },
                    cancellationToken);
            }
            else
            {
                await context.RunAsync($"Could not resize memory of {domain} to {mem} MiB",
                    ["setmem", "--", domain, (mem * 1024).ToString(CultureInfo.InvariantCulture)], cancellationToken);
            }
            if (context.Settings.CleanupMemoryOnStop) await MemoryCleanup.RunAsync(context, cancellationToken);
        }

        if (vcpu is { } cpus && cpus != oldVcpu)
        {
            await context.RunAsync($"Failed to resize VCPU to {cpus} on {domain}",
                ["setvcpus", "--live", "--hotpluggable", "--", domain, cpus.ToString(CultureInfo.InvariantCulture)], cancellationToken);
        }
    }
}

/// <summary>
/// <c>resize_disk &lt;deploy_id&gt; &lt;disk_id&gt; &lt;size_MiB&gt; [&lt;base64 action&gt;]</c>: <c>virsh blockresize</c> of the
/// DISK's target to SIZE MiB, retried while libvirt says the disk "is in use" (3 × 5 s, as upstream).
/// </summary>
public sealed class ResizeDiskAction : DriverAction
{
    public override string Name => "resize_disk";

    public override string Usage => "<deploy_id> <disk_id> <size_MiB> [<base64 action>]  (or action XML on stdin)";

    public override int MinArguments => 3;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken)
    {
        var (domain, diskId) = (args[0], args[1]);
        var failure = $"Failed to resize disk {diskId} on {domain}";
        if (!ulong.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            throw new ActionFailedException($"{failure}: size '{args[2]}' is not a whole number of MiB");
        var action = await ActionXml.LoadAsync(args.Count > 3 ? args[3] : null, context.Stdin, cancellationToken);
        var disk = action.Root?.Element("VM")?.Element("TEMPLATE")?.Elements("DISK")
            .FirstOrDefault(d => d.Element("DISK_ID")?.Value.Trim() == diskId)
            ?? throw new ActionFailedException($"{failure}: the action data has no DISK with DISK_ID={diskId}");
        var target = Names.Target(disk.Element("TARGET")?.Value.Trim() ?? "");
        await Retry.IfAsync(context, "is in use", failure,
            new VirshCall(["blockresize", "--", domain, target, $"{size.ToString(CultureInfo.InvariantCulture)}M"]), cancellationToken);
    }
}
