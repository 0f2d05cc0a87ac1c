using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using OneKvm.Driver.Virsh;

namespace OneKvm.Driver.Actions;

/// <summary>
/// System snapshots kept as upstream keeps them: <c>snap-&lt;id&gt;.xml</c> (<c>virsh snapshot-dumpxml</c>)
/// in the VM directory of the system datastore, so that the snapshots survive a poweroff (a transient
/// domain loses its snapshot metadata) and a migration (the metadata is dropped before migrating);
/// deploy, restore and migrate redefine them with <c>snapshot-create --redefine</c>.
/// </summary>
internal static partial class SnapshotFiles
{
    /// <summary>The VM directory from OpenNebula's domain metadata (<c>one:system_datastore</c>), or null.</summary>
    public static async Task<string?> VmDirectoryAsync(ActionContext context, string domain, CancellationToken cancellationToken, string? uri = null)
    {
        string xml;
        try
        {
            xml = await context.Virsh.CallAsync(
                new VirshCall(["metadata", "--", domain, context.Settings.MetadataUri, context.Settings.MetadataKey]) { Uri = uri },
                cancellationToken);
        }
        catch (VirshException e) when (!e.TimedOut)
        {
            context.Log.Debug($"no OpenNebula metadata on {domain}: {e.Message}");
            return null;
        }
        try
        {
            var path = XDocument.Parse(xml).Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "system_datastore")?.Value.Trim();
            return string.IsNullOrEmpty(path) ? null : path;
        }
        catch (XmlException e)
        {
            context.Log.Warn($"metadata of {domain} is not XML: {e.Message}");
            return null;
        }
    }

    /// <summary>Writes <c>&lt;dir&gt;/&lt;name&gt;.xml</c> from <c>virsh snapshot-dumpxml</c>.</summary>
    public static async Task DumpAsync(ActionContext context, string domain, string directory, string name, CancellationToken cancellationToken)
    {
        var xml = await Retry.OnBlockJobAsync(context, $"Could not dump {name} snapshot metadata for {domain}",
            new VirshCall(["snapshot-dumpxml", "--", domain, name]), cancellationToken);
        await Files.WriteAtomicallyAsync(Path.Join(directory, $"{name}.xml"), xml, "snapshot metadata", cancellationToken);
    }

    /// <summary>The <c>snap-N.xml</c> files of <paramref name="directory"/>, by N (as <c>ls -v</c>).</summary>
    public static IReadOnlyList<string> List(string directory)
    {
        if (!Directory.Exists(directory)) return [];
        try
        {
            return Directory.GetFiles(directory, "snap-*.xml")
                .Select(f => (File: f, Match: SnapRegex().Match(Path.GetFileName(f))))
                .Where(x => x.Match.Success)
                .OrderBy(x => long.Parse(x.Match.Groups[1].Value, CultureInfo.InvariantCulture))
                .Select(x => x.File)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ActionFailedException($"Could not list snapshot files in {directory}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Redefines every kept snapshot on <paramref name="domain"/>, the domain UUID in each file set to
    /// <paramref name="uuid"/> when given. A snapshot libvirt refuses is logged, not fatal (as upstream).
    /// </summary>
    public static async Task RedefineAllAsync(
        ActionContext context, string domain, string directory, string? uuid, CancellationToken cancellationToken, string? uri = null)
    {
        foreach (var file in List(directory))
        {
            string xml;
            try
            {
                var document = XDocument.Load(file);
                if (uuid is not null && document.Root?.Element("domain")?.Element("uuid") is { } element) element.Value = uuid;
                xml = document.ToString();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or XmlException)
            {
                context.Log.Warn($"snapshot file {file} skipped: {e.Message}");
                continue;
            }
            try
            {
                await context.Virsh.CallAsync(
                    new VirshCall(["snapshot-create", "--redefine", "--", domain, "/dev/stdin"]) { Stdin = xml, Uri = uri }, cancellationToken);
                context.Log.Info($"snapshot {Path.GetFileNameWithoutExtension(file)} redefined on {domain}");
            }
            catch (VirshException e)
            {
                context.Log.Warn($"could not redefine snapshot from {file}: {e.Message}");
            }
        }
    }

    [GeneratedRegex(@"^snap-(\d{1,18})\.xml$")]
    private static partial Regex SnapRegex();
}
