using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace OneKvm.Probes.Virsh;

/// <summary>
/// Parses a libvirt domain XML (<c>virsh dumpxml</c>, libvirt <c>docs/formatdomain.rst</c>):
/// <code>&lt;domain type='qemu' id='3'&gt;&lt;name&gt;one-74&lt;/name&gt;&lt;uuid&gt;…&lt;/uuid&gt;&lt;memory unit='KiB'&gt;98304&lt;/memory&gt;…</code>
/// DTDs are refused. Malformed XML or a missing name/uuid is a <see cref="FormatException"/>
/// naming <c>source</c>; optional parts that do not parse are left null.
/// </summary>
public static class DomainXmlParser
{
    public const string OneNamespace = "http://opennebula.org/xmlns/libvirt/1.0";

    private static readonly XNamespace One = OneNamespace;

    public static DomainXml Parse(string xml, string source = "domain XML")
    {
        XElement root;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml),
                new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            root = XElement.Load(reader);
        }
        catch (XmlException e)
        {
            throw new FormatException($"{source}: not well-formed XML: {e.Message}", e);
        }
        if (root.Name != "domain") throw new FormatException($"{source}: root element is <{root.Name}>, not <domain>");
        var name = root.Element("name")?.Value ?? throw new FormatException($"{source}: no <name>");
        var uuid = root.Element("uuid")?.Value.Trim() ?? throw new FormatException($"{source}: no <uuid>");
        var devices = root.Element("devices");

        return new DomainXml
        {
            Name = name,
            Uuid = uuid.ToLowerInvariant(),
            Title = root.Element("title")?.Value,
            Vcpus = Int(root.Element("vcpu")?.Value),
            MemoryKiB = MemoryKiB(root.Element("memory")),
            OsArch = root.Element("os")?.Element("type")?.Attribute("arch")?.Value,
            Features = root.Element("features")?.Elements().Select(e => e.Name.LocalName).ToList() ?? [],
            Disks = devices?.Elements("disk").Select(Disk).ToList() ?? [],
            Interfaces = devices?.Elements("interface").Select(Interface).ToList() ?? [],
            Graphics = devices?.Elements("graphics").Select(Graphics).ToList() ?? [],
            GuestAgentChannel = devices?.Elements("channel").Any(c =>
                c.Element("target")?.Attribute("name")?.Value == "org.qemu.guest_agent.0") ?? false,
            OneVm = Metadata(root.Element("metadata")?.Element(One + "vm")),
        };
    }

    private static DomainDisk Disk(XElement disk)
    {
        var src = disk.Element("source");
        var source = src?.Attribute("file")?.Value ?? src?.Attribute("dev")?.Value
            ?? src?.Attribute("name")?.Value ?? src?.Attribute("volume")?.Value;
        var target = disk.Element("target");
        return new DomainDisk(disk.Attribute("device")?.Value, target?.Attribute("dev")?.Value,
            target?.Attribute("bus")?.Value, source, disk.Element("driver")?.Attribute("type")?.Value);
    }

    private static DomainInterface Interface(XElement nic) => new(
        nic.Attribute("type")?.Value,
        nic.Element("target")?.Attribute("dev")?.Value,
        nic.Element("mac")?.Attribute("address")?.Value,
        nic.Element("model")?.Attribute("type")?.Value);

    private static DomainGraphics Graphics(XElement g) => new(
        g.Attribute("type")?.Value ?? "",
        Int(g.Attribute("port")?.Value),
        g.Attribute("listen")?.Value);

    private static OneVmMetadata? Metadata(XElement? vm) => vm is null ? null : new OneVmMetadata(
        vm.Element(One + "name")?.Value,
        vm.Element(One + "uname")?.Value,
        Int(vm.Element(One + "uid")?.Value),
        vm.Element(One + "gname")?.Value,
        Int(vm.Element(One + "gid")?.Value),
        vm.Element(One + "system_datastore")?.Value,
        vm.Element(One + "opennebula_version")?.Value,
        Long(vm.Element(One + "stime")?.Value),
        Long(vm.Element(One + "deployment_time")?.Value));

    /// <summary>libvirt memory units: b/bytes, KB (1000), k/KiB, MB, M/MiB, GB, G/GiB, TB, T/TiB; default KiB.</summary>
    internal static ulong? MemoryKiB(XElement? memory)
    {
        if (memory is null || !ulong.TryParse(memory.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            return null;
        var bytesPerUnit = (memory.Attribute("unit")?.Value ?? "KiB") switch
        {
            "b" or "bytes" => 1UL,
            "KB" => 1000UL,
            "k" or "KiB" => 1024UL,
            "MB" => 1000UL * 1000,
            "M" or "MiB" => 1024UL * 1024,
            "GB" => 1000UL * 1000 * 1000,
            "G" or "GiB" => 1024UL * 1024 * 1024,
            "TB" => 1000UL * 1000 * 1000 * 1000,
            "T" or "TiB" => 1024UL * 1024 * 1024 * 1024,
            _ => 0UL,
        };
        var kib = (UInt128)value * bytesPerUnit / 1024;
        return bytesPerUnit == 0 || kib > ulong.MaxValue ? null : (ulong)kib;
    }

    private static int? Int(string? s) =>
        int.TryParse(s?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static long? Long(string? s) =>
        long.TryParse(s?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;
}
