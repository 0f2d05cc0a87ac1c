using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace OneKvm.Probes.Audit;

/// <summary>What the cgroups audit needs from a running domain's live XML.</summary>
/// <param name="Name">Domain name.</param>
/// <param name="Id">libvirt domain id (changes on every start).</param>
/// <param name="Vcpus">Current vCPUs (<c>&lt;vcpu current=…&gt;</c>, else the element's value).</param>
/// <param name="MemoryKiB"><c>&lt;currentMemory&gt;</c>, else <c>&lt;memory&gt;</c>, in KiB.</param>
/// <param name="XmlShares"><c>&lt;cputune&gt;&lt;shares&gt;</c>, or null.</param>
/// <param name="SystemDatastore"><c>one:vm/one:system_datastore</c>, or null for a VM OpenNebula did not deploy.</param>
/// <param name="VmId">OpenNebula VM id from a name fully matching <c>one-&lt;id&gt;</c>, else null (wild).</param>
public sealed record LibvirtDomain(string Name, int Id, int Vcpus, long? MemoryKiB, long? XmlShares, string? SystemDatastore, int? VmId)
{
    private const string OneNamespace = "http://opennebula.org/xmlns/libvirt/1.0";

    /// <summary>Parses <c>virsh dumpxml</c>; malformed XML is a <see cref="FormatException"/> naming the domain.</summary>
    public static LibvirtDomain Parse(string xml, string name, int id)
    {
        XElement root;
        try
        {
            root = XDocument.Parse(xml).Root ?? throw new FormatException($"domain '{name}': empty XML");
        }
        catch (XmlException e)
        {
            throw new FormatException($"domain '{name}': malformed domain XML: {e.Message}", e);
        }
        var vcpu = root.Element("vcpu");
        var vcpus = Int(vcpu?.Attribute("current")?.Value) ?? Int(vcpu?.Value) ?? 1;
        var memory = Kib(root.Element("currentMemory")) ?? Kib(root.Element("memory"));
        var shares = Long(root.Element("cputune")?.Element("shares")?.Value);
        XNamespace one = OneNamespace;
        var datastore = root.Element("metadata")?.Element(one + "vm")?.Element(one + "system_datastore")?.Value.Trim();
        return new LibvirtDomain(name, id, vcpus, memory, shares, string.IsNullOrEmpty(datastore) ? null : datastore, VmIdOf(name));
    }

    /// <summary><c>one-42</c> → 42; anything else (<c>one-5-test</c>, <c>legacy-db</c>) → null.</summary>
    public static int? VmIdOf(string name) =>
        name.StartsWith("one-", StringComparison.Ordinal)
        && int.TryParse(name.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static long? Kib(XElement? element)
    {
        if (Long(element?.Value) is not { } value) return null;
        var unit = element!.Attribute("unit")?.Value ?? "KiB";
        return unit switch
        {
            "b" or "bytes" => value / 1024,
            "KiB" or "k" or "K" => value,
            "MiB" or "M" => value * 1024,
            "GiB" or "G" => value * 1024 * 1024,
            _ => null,
        };
    }

    private static int? Int(string? text) =>
        int.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static long? Long(string? text) =>
        long.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
}
