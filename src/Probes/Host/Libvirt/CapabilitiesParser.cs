using System.Xml;
using System.Xml.Linq;

namespace OneKvm.Probes.Host.Libvirt;

/// <summary>
/// Parses libvirt's capabilities XML (<c>virConnectGetCapabilities</c>, libvirt <c>docs/formatcaps.rst</c>):
/// <code>
/// &lt;capabilities&gt;&lt;host&gt;&lt;cpu&gt;&lt;arch&gt;x86_64&lt;/arch&gt;&lt;model&gt;EPYC-Rome&lt;/model&gt;…
/// &lt;guest&gt;&lt;arch name='x86_64'&gt;&lt;machine maxCpus='255'&gt;pc-i440fx-7.2&lt;/machine&gt;…&lt;domain type='kvm'/&gt;
/// </code>
/// Machines follow OpenNebula's <c>machines_models.rb</c>: per guest arch (i686, x86_64, aarch64) the
/// machines of the first of <c>domain[@type='kvm'|'kqemu'|'qemu']</c> that lists any, else those
/// listed directly under the arch element.
/// </summary>
public static class CapabilitiesParser
{
    private static readonly string[] GuestArchs = ["i686", "x86_64", "aarch64"];
    private static readonly string[] DomainTypes = ["kvm", "kqemu", "qemu"];

    /// <exception cref="FormatException">the text is not capabilities XML.</exception>
    public static HostCapabilities Parse(string xml)
    {
        var root = Load(xml, "capabilities");
        var cpu = root.Element("host")?.Element("cpu");
        var machines = new List<string>();
        foreach (var arch in GuestArchs)
        {
            foreach (var archElement in root.Elements("guest").Elements("arch").Where(a => (string?)a.Attribute("name") == arch))
            {
                var chosen = DomainTypes
                    .Select(t => archElement.Elements("domain").FirstOrDefault(d => (string?)d.Attribute("type") == t))
                    .Select(d => d is null ? [] : MachineNames(d))
                    .FirstOrDefault(names => names.Count > 0) ?? MachineNames(archElement);
                machines.AddRange(chosen);
            }
        }
        return new HostCapabilities(
            NullIfEmpty(cpu?.Element("arch")?.Value),
            NullIfEmpty(cpu?.Element("model")?.Value),
            [.. machines.Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>Loads an XML document and checks its root element name.</summary>
    internal static XElement Load(string xml, string rootName)
    {
        XDocument document;
        try
        {
            document = XDocument.Parse(xml);
        }
        catch (XmlException e)
        {
            throw new FormatException($"malformed {rootName} XML: {e.Message}", e);
        }
        var root = document.Root!;
        return root.Name.LocalName == rootName
            ? root
            : throw new FormatException($"expected <{rootName}> XML, got <{root.Name.LocalName}>");
    }

    private static List<string> MachineNames(XElement parent) =>
        [.. parent.Elements("machine").Select(m => m.Value.Trim()).Where(n => n.Length > 0)];

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
