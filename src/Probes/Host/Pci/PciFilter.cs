using System.Globalization;
using System.Text.RegularExpressions;
using OneKvm.Probes.OpenNebula;

namespace OneKvm.Probes.Host.Pci;

/// <summary>
/// Which devices SYSTEM_HOST reports as <c>PCI = [ … ]</c>, from upstream's <c>pci.conf</c>:
/// <c>:filter:</c> terms in <c>lspci -d</c> syntax (<c>[vendor]:[device][:class]</c>, hex, empty or
/// <c>*</c> for any; several as a list or comma-separated; the shipped <c>0:0</c> matches nothing),
/// then <c>:short_address:</c> (exact <c>bb:ss.f</c>, empty = all) and <c>:device_name:</c>
/// (case-insensitive regular expressions on the device name, empty = all). SR-IOV physical functions
/// with virtual functions enabled are not offered (their VFs are), nor NVIDIA cards that have VFs.
/// </summary>
public sealed class PciFilter
{
    private readonly IReadOnlyList<Term> _terms;
    private readonly IReadOnlyList<string> _shortAddresses;
    private readonly IReadOnlyList<Regex> _deviceNames;
    private readonly IReadOnlyList<string> _nvidiaVendors;

    public PciFilter(IEnumerable<string> filters, IEnumerable<string> shortAddresses, IEnumerable<string> deviceNames, IEnumerable<string>? nvidiaVendors = null, string source = "pci.conf")
    {
        _terms = [.. filters.SelectMany(f => f.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).Select(t => Term.Parse(t, source))];
        _shortAddresses = [.. shortAddresses.Select(a => a.Trim().ToLowerInvariant())];
        _deviceNames = [.. deviceNames.Select(p => Pattern(p, source))];
        _nvidiaVendors = [.. (nvidiaVendors ?? ["10de"]).Select(v => v.Trim().ToLowerInvariant())];
    }

    /// <summary>Upstream's shipped configuration: <c>:filter: '0:0'</c>, no device.</summary>
    public static PciFilter Default { get; } = new(["0:0"], [], []);

    /// <summary>The filter of a loaded <c>pci.conf</c>; upstream's default where the file or a key is absent.</summary>
    public static PciFilter From(ProbeConfFile? conf) => conf is null
        ? Default
        : new(conf.Strings("filter") ?? ["0:0"], conf.Strings("short_address") ?? [], conf.Strings("device_name") ?? [],
            conf.Strings("nvidia_vendors"), conf.Path);

    public bool IsNvidia(PciDevice device) => _nvidiaVendors.Contains(device.Vendor);

    public bool Includes(PciDevice device)
    {
        if (!_terms.Any(t => t.Matches(device))) return false;
        if (_shortAddresses.Count > 0 && !_shortAddresses.Contains(device.ShortAddress)) return false;
        if (_deviceNames.Count > 0 && !_deviceNames.Any(p => p.IsMatch(device.DeviceName ?? ""))) return false;
        if (device.IsPhysicalFunction && device.VirtualFunctionCount > 0) return false;
        return true;
    }

    private static Regex Pattern(string pattern, string source)
    {
        try
        {
            return new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{source}: :device_name: '{pattern}' is not a valid regular expression: {e.Message}", e);
        }
    }

    private sealed record Term(int? Vendor, int? Device, int? Class)
    {
        public static Term Parse(string text, string source)
        {
            var parts = text.Split(':');
            if (parts.Length is < 2 or > 3) throw new FormatException($"{source}: :filter: '{text}' is not [vendor]:[device][:class]");
            return new Term(Id(parts[0], text, source), Id(parts[1], text, source), parts.Length == 3 ? Id(parts[2], text, source) : null);
        }

        public bool Matches(PciDevice device) =>
            (Vendor is null || Vendor == Hex(device.Vendor))
            && (Device is null || Device == Hex(device.Device))
            && (Class is null || Class == Hex(device.Class));

        private static int? Id(string part, string term, string source)
        {
            part = part.Trim();
            if (part.Length == 0 || part == "*") return null;
            return part.Length <= 4 && int.TryParse(part, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id)
                ? id
                : throw new FormatException($"{source}: :filter: '{term}': '{part}' is not a hex id of at most 4 digits");
        }

        private static int Hex(string id) => int.Parse(id, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }
}
