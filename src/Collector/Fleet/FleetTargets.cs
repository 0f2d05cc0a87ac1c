using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;

namespace OneKvm.Collector.Fleet;

/// <summary>One OpenNebula host as a Prometheus target.</summary>
public sealed record FleetHost(int Id, string Name, int State, string VmMad, int ClusterId, string Cluster);

/// <summary>
/// Turns the XML of <c>onehost list -x</c> (<c>HOST_POOL/HOST</c>) into a Prometheus file-based
/// service discovery document: one target <c>NAME:PORT</c> per KVM host, labelled <c>one_host_id</c>
/// (as OpenNebula's own Prometheus integration labels its node and libvirt exporter targets),
/// <c>one_host_name</c>, <c>cluster</c> and <c>one_cluster_id</c>. Disabled (4) and offline (8)
/// hosts are left out unless asked for, so the exporter-down alert does not fire for hosts the
/// admin took out of service.
/// </summary>
public static class FleetTargets
{
    public const int Disabled = 4;
    public const int Offline = 8;

    /// <summary>Parses the pool; errors are <see cref="InvalidDataException"/>s naming the source, line and field.</summary>
    public static IReadOnlyList<FleetHost> ParseHostPool(string xml, string source)
    {
        XDocument document;
        try
        {
            document = XDocument.Parse(xml, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new InvalidDataException($"{source}:{e.LineNumber}: not valid XML: {e.Message}", e);
        }
        if (document.Root?.Name.LocalName != "HOST_POOL")
            throw new InvalidDataException($"{source}:{Line(document.Root)}: expected <HOST_POOL> (the output of onehost list -x), found <{document.Root?.Name.LocalName}>");
        return document.Root.Elements("HOST").Select(h => new FleetHost(
            Number(h, "ID", source),
            Text(h, "NAME", source),
            Number(h, "STATE", source),
            (string?)h.Element("VM_MAD") ?? "",
            h.Element("CLUSTER_ID") is null ? -1 : Number(h, "CLUSTER_ID", source),
            (string?)h.Element("CLUSTER") ?? "")).ToList();
    }

    /// <summary>The file_sd JSON: KVM hosts only (<c>VM_MAD</c> kvm or empty), sorted by id.</summary>
    public static string Render(IEnumerable<FleetHost> hosts, int port, bool includeDisabled)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var host in hosts.Where(h => h.VmMad is "" or "kvm" && (includeDisabled || h.State is not (Disabled or Offline))).OrderBy(h => h.Id))
            {
                json.WriteStartObject();
                json.WriteStartArray("targets");
                json.WriteStringValue(Target(host.Name, port));
                json.WriteEndArray();
                json.WriteStartObject("labels");
                json.WriteString("one_host_id", host.Id.ToString(CultureInfo.InvariantCulture));
                json.WriteString("one_host_name", host.Name);
                json.WriteString("cluster", host.Cluster);
                if (host.ClusterId >= 0) json.WriteString("one_cluster_id", host.ClusterId.ToString(CultureInfo.InvariantCulture));
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Writes <paramref name="text"/> next to <paramref name="path"/> and renames it over, so Prometheus never reads half a file.</summary>
    public static void WriteAtomically(string path, string text) => OneKvm.Libvirt.Runtime.AtomicFile.Write(path, text);

    private static string Target(string name, int port) =>
        (name.Contains(':', StringComparison.Ordinal) ? $"[{name}]" : name) + ":" + port.ToString(CultureInfo.InvariantCulture);

    private static string Text(XElement host, string field, string source)
    {
        var value = ((string?)host.Element(field))?.Trim();
        return string.IsNullOrEmpty(value)
            ? throw new InvalidDataException($"{source}:{Line(host)}: HOST without {field}")
            : value;
    }

    private static int Number(XElement host, string field, string source)
    {
        var text = Text(host, field, source);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new InvalidDataException($"{source}:{Line(host.Element(field))}: HOST {field} '{text}' is not a number");
    }

    private static int Line(XElement? e) => (e as IXmlLineInfo)?.LineNumber ?? 0;
}
