using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using OneKvm.Cgroups;

namespace OneKvm.Probes.OpenNebula;

/// <summary>The capacity attributes of an OpenNebula VM from its <c>vm.xml</c> (<c>/VM/TEMPLATE/CPU|VCPU|MEMORY</c>).</summary>
public sealed record OneVmTemplate(float? Cpu, int? Vcpus, long? MemoryMiB, string FilePath)
{
    /// <summary>
    /// <c>vm.xml</c> of a VM in its system datastore directory. The directory comes from the domain's
    /// <c>one:system_datastore</c> (e.g. <c>/var/lib/one//datastores/0/42</c>); its last two components
    /// (<c>&lt;datastore id&gt;/&lt;vm id&gt;</c>) are joined to the configured <c>DATASTORE_LOCATION</c>, so the
    /// same layout works on the host and below a fixture root.
    /// </summary>
    public static string PathFor(HostPaths paths, string systemDatastore)
    {
        var parts = systemDatastore.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length < 2
            ? System.IO.Path.Join(paths.DatastoreLocation, systemDatastore, "vm.xml")
            : System.IO.Path.Join(paths.DatastoreLocation, parts[^2], parts[^1], "vm.xml");
    }

    /// <summary>Reads and parses, or returns null when the file is absent.</summary>
    public static OneVmTemplate? Read(string path) =>
        KernelFile.TryRead(path, out var text) ? Parse(text, path) : null;

    /// <summary>Parses <c>&lt;VM&gt;…&lt;TEMPLATE&gt;&lt;CPU&gt;&lt;![CDATA[0.5]]&gt;&lt;/CPU&gt;…</c>; malformed XML or CPU is an error naming the file.</summary>
    public static OneVmTemplate Parse(string xml, string path)
    {
        XElement template;
        try
        {
            template = XDocument.Parse(xml).Root?.Element("TEMPLATE") ?? throw new FormatException($"{path}: no /VM/TEMPLATE element");
        }
        catch (XmlException e)
        {
            throw new FormatException($"{path}: malformed XML: {e.Message}", e);
        }
        float? cpu = null;
        if (template.Element("CPU")?.Value.Trim() is { Length: > 0 } cpuText)
        {
            cpu = float.TryParse(cpuText, NumberStyles.Float, CultureInfo.InvariantCulture, out var c) && c > 0 && float.IsFinite(c)
                ? c
                : throw new FormatException($"{path}: TEMPLATE/CPU '{cpuText}' is not a positive number");
        }
        var vcpus = int.TryParse(template.Element("VCPU")?.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : (int?)null;
        var memory = long.TryParse(template.Element("MEMORY")?.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : (long?)null;
        return new OneVmTemplate(cpu, vcpus, memory, path);
    }
}
