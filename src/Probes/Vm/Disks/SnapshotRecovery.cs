using System.Text;
using System.Xml;
using System.Xml.Linq;
using OneKvm.Cgroups;
using OneKvm.Probes.OpenNebula;

namespace OneKvm.Probes.Vm.Disks;

/// <summary>
/// The second MONITOR_VM category (upstream's <c>vm/snapshot/recovery.rb</c>, every 60 s): for VMs on
/// <c>ssh</c> system datastores marked <c>.monitor</c>, each disk with a snapshot chain
/// (<c>disk.N.snap/base.1</c>) whose VM template asks for recovery snapshots
/// (<c>DISK[DISK_ID=N]/RECOVERY_SNAPSHOT_FREQ</c> in <c>vm.xml</c>) and whose datastore has a
/// <c>REPLICA_HOST</c> (<c>ds.xml</c>) gets <c>tm/ssh/recovery_snap_create_live VM DISK FREQ REPLICA</c>
/// run; its output becomes <c>DISK_RECOVERY_SNAPSHOT = [ ID=N, TIMESTAMP="…" ]</c>, a failure
/// <c>[ ID=N, MSG="ERROR …" ]</c>. One line per VM: <c>VM = [ ID="42", MONITOR="&lt;base64&gt;" ]</c>.
/// </summary>
public static class SnapshotRecovery
{
    public static async Task<string> CollectAsync(HostPaths paths, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        var script = Path.Join(paths.Remotes, "tm", "ssh", "recovery_snap_create_live");
        if (!Directory.Exists(paths.DatastoreLocation) || !File.Exists(script)) return "";
        foreach (var ds in Directory.EnumerateDirectories(paths.DatastoreLocation).Order(StringComparer.Ordinal))
        {
            if (!IsId(Path.GetFileName(ds)) || ReadOrNull(Path.Join(ds, ".monitor"))?.Trim() != "ssh") continue;
            foreach (var vmDir in Directory.EnumerateDirectories(ds).Order(StringComparer.Ordinal))
            {
                var vmId = Path.GetFileName(vmDir);
                if (!IsId(vmId)) continue;
                var vmXml = ReadOrNull(Path.Join(vmDir, "vm.xml"));
                var dsXml = ReadOrNull(Path.Join(vmDir, "ds.xml"));
                if (vmXml is null || dsXml is null) continue;
                var replica = Text(dsXml, d => d.Root?.Element("TEMPLATE")?.Element("REPLICA_HOST"));
                var disks = new List<string>();
                foreach (var disk in Directory.EnumerateFileSystemEntries(vmDir).Select(Path.GetFileName).OfType<string>()
                             .Where(n => n.StartsWith("disk.", StringComparison.Ordinal) && IsId(n[5..])).Order(StringComparer.Ordinal))
                {
                    if (!File.Exists(Path.Join(vmDir, disk + ".snap", "base.1"))) continue;
                    var diskId = disk[5..];
                    var freq = Text(vmXml, d => d.Root?.Element("TEMPLATE")?.Elements("DISK")
                        .FirstOrDefault(e => e.Element("DISK_ID")?.Value.Trim() == diskId)?.Element("RECOVERY_SNAPSHOT_FREQ"));
                    if (freq.Length == 0 || replica.Length == 0) continue;
                    var (ok, output, error) = await RemoteScript.RunAsync(script, [vmId, Path.Join(vmDir, disk), freq, replica], timeout, cancellationToken);
                    var said = TemplateWriter.Escape((ok ? output : output.Length > 0 ? output : error).TrimEnd('\n'));
                    disks.Add(ok
                        ? $"DISK_RECOVERY_SNAPSHOT = [ ID={diskId}, TIMESTAMP=\"{said}\" ]"
                        : $"DISK_RECOVERY_SNAPSHOT = [ ID={diskId}, MSG=\"ERROR {said}\" ]");
                }
                if (disks.Count == 0) continue;
                lines.Add($"VM = [ ID=\"{vmId}\", MONITOR=\"{Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join('\n', disks)))}\" ]");
            }
        }
        return lines.Count == 0 ? "" : string.Join('\n', lines) + "\n";
    }

    private static bool IsId(string? name) => name is { Length: > 0 and <= 9 } && name.All(char.IsAsciiDigit);

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>An element's text, or empty when the XML is malformed or lacks it (as upstream's <c>xml_elem</c>).</summary>
    private static string Text(string xml, Func<XDocument, XElement?> select)
    {
        try
        {
            return select(XDocument.Parse(xml))?.Value.Trim() ?? "";
        }
        catch (XmlException)
        {
            return "";
        }
    }
}
