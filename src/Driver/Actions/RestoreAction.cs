using System.Text.RegularExpressions;
using System.Xml.Linq;
using OneKvm.Driver.Virsh;

namespace OneKvm.Driver.Actions;

/// <summary>
/// <c>restore &lt;checkpoint_file&gt; &lt;host&gt; &lt;deploy_id&gt; [&lt;vm_id&gt;]</c>: wakes a <c>pmsuspended</c>
/// domain; else, as upstream, the domain XML of the checkpoint (<c>virsh save-image-dumpxml</c>) gets
/// its system-datastore paths pointed at the datastore the checkpoint is in now
/// (<see cref="RewriteDatastorePaths"/>; the VM may have moved datastores since the save), is written
/// to <c>&lt;checkpoint&gt;.xml</c> (read with <c>--security-info</c>: upstream's dump leaves out the VNC/SPICE
/// password, which <c>restore --xml</c> then drops), and <c>virsh restore FILE --xml FILE.xml</c> runs (a job, retried
/// VIRSH_RETRIES times); then <c>domtime --sync</c> in the background when SYNC_TIME=yes (<see cref="SyncTimeAction"/>), the checkpoint and its XML are
/// removed and the snapshots kept next to them redefined.
/// </summary>
public sealed partial class RestoreAction : DriverAction
{
    public override string Name => "restore";

    public override string Usage => "<checkpoint_file> <host> <deploy_id> [<vm_id> <host>]";

    public override int MinArguments => 3;

    public override int? DomainArgument => 2;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken)
    {
        var (file, domain) = (args[0], args[2]);
        if (await DomainState.GetAsync(context, domain, cancellationToken) == "pmsuspended")
        {
            await context.RunAsync($"Could not wake up {domain}", ["dompmwakeup", "--", domain], cancellationToken);
            return;
        }
        if (!File.Exists(file)) throw new ActionFailedException($"Could not restore from {file}: the checkpoint does not exist");

        var fileXml = $"{file}.xml";
        var saved = await context.RunAsync($"Could not recalculate paths in {fileXml}", ["save-image-dumpxml", "--security-info", "--", file], cancellationToken);
        var vmId = args.Count > 3 ? args[3] : Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(file)))!;
        string xml;
        try
        {
            xml = RewriteDatastorePaths(saved, file, vmId);
        }
        catch (System.Xml.XmlException e)
        {
            throw new ActionFailedException($"Could not recalculate paths in {fileXml}: virsh save-image-dumpxml gave no XML: {e.Message}", e);
        }
        await Files.WriteAtomicallyAsync(fileXml, xml, "the checkpoint's domain XML", cancellationToken);
        if (context.Settings.CleanupMemoryOnStart) await MemoryCleanup.RunAsync(context, cancellationToken);

        var tries = Math.Max(context.Settings.VirshRetries, 1);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await context.Virsh.CallAsync(new VirshCall(["restore", "--xml", fileXml, "--", file]) { Job = true, Timeout = context.Settings.JobTimeout }, cancellationToken);
                break;
            }
            catch (VirshException e) when (attempt < tries && !e.TimedOut)
            {
                context.Log.Warn($"restore {file} failed ({attempt}/{tries}): {e.Message}");
                await Task.Delay(context.Settings.PollInterval, context.Time, cancellationToken);
            }
            catch (VirshException e)
            {
                var state = e.TimedOut ? $" ({domain} is {await DomainState.GetAsync(context, domain, cancellationToken) ?? "not defined"})" : "";
                throw new ActionFailedException($"Could not restore from {file}: {e.Message}{state}", e);
            }
        }
        if (context.Settings.SyncTime) SyncTimeAction.Start(context, domain, null);
        Files.TryDelete(file);
        Files.TryDelete(fileXml);
        await SnapshotFiles.RedefineAllAsync(context, domain, Path.GetDirectoryName(Path.GetFullPath(file))!, null, cancellationToken);
    }

    /// <summary>
    /// Upstream's path recalculation: the checkpoint is <c>&lt;ds_location&gt;/&lt;ds_id&gt;/&lt;vm_id&gt;/checkpoint</c>;
    /// every <c>&lt;ds_location&gt;/&lt;n&gt;/&lt;vm_id&gt;</c> in the saved XML (also spelt with <c>//</c> collapsed,
    /// as oned's <c>/var/lib/one//datastores</c> often is) becomes <c>&lt;ds_location&gt;/&lt;ds_id&gt;/&lt;vm_id&gt;</c>.
    /// Upstream only matches it followed by <c>/</c> (disk paths); here also at the end of a value, so
    /// <c>one:system_datastore</c> (the VM directory, no trailing slash) follows the move too.
    /// Attribute values and text are rewritten in the parsed document, never in the markup.
    /// </summary>
    internal static string RewriteDatastorePaths(string xml, string checkpoint, string vmId)
    {
        // Path.GetDirectoryName would collapse the "//" the path is written with.
        static string Dirname(string path) => path.LastIndexOf('/') is > 0 and var i ? path[..i].TrimEnd('/') : "/";
        var datastore = Dirname(Dirname(checkpoint));
        var location = Dirname(datastore);
        var target = $"{location}/{datastore[(datastore.LastIndexOf('/') + 1)..]}/{vmId}";
        var collapsed = DoubleSlash().Replace(location, "/");
        var pattern = new Regex(
            $"(?:{Regex.Escape(location)}|{Regex.Escape(collapsed)})/[0-9]+/{Regex.Escape(vmId)}(?=/|$)",
            RegexOptions.CultureInvariant, TimeSpan.FromSeconds(5));
        string Rewrite(string value) => pattern.Replace(value, target);

        var document = XDocument.Parse(xml, LoadOptions.PreserveWhitespace);
        foreach (var attribute in document.Descendants().Attributes()) attribute.Value = Rewrite(attribute.Value);
        foreach (var text in document.DescendantNodes().OfType<XText>()) text.Value = Rewrite(text.Value);
        return document.ToString(SaveOptions.DisableFormatting);
    }

    [GeneratedRegex("/{2,}")]
    private static partial Regex DoubleSlash();
}
