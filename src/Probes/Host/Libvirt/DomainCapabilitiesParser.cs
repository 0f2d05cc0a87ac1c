using System.Xml.Linq;

namespace OneKvm.Probes.Host.Libvirt;

/// <summary>
/// Parses the domain capabilities XML (<c>virConnectGetDomainCapabilities</c>, libvirt <c>docs/formatdomaincaps.rst</c>):
/// <code>
/// &lt;domainCapabilities&gt;…&lt;cpu&gt;&lt;mode name='custom' supported='yes'&gt;
///   &lt;model usable='yes' vendor='Intel'&gt;Skylake-Client&lt;/model&gt;…
/// &lt;features&gt;&lt;sev supported='yes'&gt;&lt;maxESGuests&gt;0&lt;/maxESGuests&gt;…&lt;/sev&gt;&lt;tdx supported='no'/&gt;
/// </code>
/// CPU models: those of the supported custom mode not marked <c>usable='no'</c>. Memory encryption as
/// OpenNebula's <c>memory_encryption.rb</c>: SEV supported → <c>SEV-SNP</c> when <c>sevsnp</c> is
/// supported, else <c>SEV</c> when <c>maxESGuests</c> is 0 (or absent), else <c>SEV-ES</c>; otherwise
/// TDX supported → <c>TDX</c>; otherwise <c>NONE</c>.
/// </summary>
public static class DomainCapabilitiesParser
{
    /// <exception cref="FormatException">the text is not domainCapabilities XML.</exception>
    public static DomainCapabilities Parse(string xml)
    {
        var root = CapabilitiesParser.Load(xml, "domainCapabilities");
        var custom = root.Element("cpu")?.Elements("mode")
            .FirstOrDefault(m => (string?)m.Attribute("name") == "custom" && (string?)m.Attribute("supported") == "yes");
        var models = custom?.Elements("model")
            .Where(m => (string?)m.Attribute("usable") != "no")
            .Select(m => m.Value.Trim())
            .Where(n => n.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList() ?? [];
        return new DomainCapabilities(models, MemoryEncryption(root.Element("features")));
    }

    private static string MemoryEncryption(XElement? features)
    {
        if (features is null) return "NONE";
        if (features.Element("sev") is { } sev && Supported(sev))
        {
            if (sev.Element("sevsnp") is { } snp && Supported(snp)) return "SEV-SNP";
            var esGuests = sev.Element("maxESGuests")?.Value.Trim();
            return esGuests is null or "0" ? "SEV" : "SEV-ES";
        }
        return features.Element("tdx") is { } tdx && Supported(tdx) ? "TDX" : "NONE";
    }

    private static bool Supported(XElement element) => (string?)element.Attribute("supported") == "yes";
}
