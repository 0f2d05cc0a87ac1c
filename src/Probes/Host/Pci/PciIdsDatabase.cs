using System.Globalization;

namespace OneKvm.Probes.Host.Pci;

/// <summary>
/// The names of the pci.ids database (Debian package <c>pci.ids</c>, <c>/usr/share/misc/pci.ids</c>),
/// the file <c>lspci</c> reads: vendor lines at column 0 (<c>8086  Intel Corporation</c>), device
/// lines after one tab, subsystem lines after two tabs (ignored), and after a line
/// <c>C 02  Network controller</c> the classes, with subclasses after one tab.
/// </summary>
public sealed class PciIdsDatabase
{
    private readonly Dictionary<string, string> _vendors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _devices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _classes = new(StringComparer.Ordinal);

    /// <summary>A database that knows no names.</summary>
    public static PciIdsDatabase Empty { get; } = new();

    /// <summary>Where Debian and other distributions install the database.</summary>
    public static IReadOnlyList<string> DefaultLocations { get; } = ["/usr/share/misc/pci.ids", "/usr/share/hwdata/pci.ids"];

    /// <summary>Loads the first database found, or <see cref="Empty"/> when none is installed.</summary>
    public static PciIdsDatabase LoadFirst(IEnumerable<string> locations)
    {
        foreach (var path in locations)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            return Parse(text);
        }
        return Empty;
    }

    public static PciIdsDatabase Parse(string text)
    {
        var db = new PciIdsDatabase();
        string? vendor = null, @class = null;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            var line = raw.TrimEnd();
            if (line.IsEmpty || line[0] == '#') continue;
            if (line.StartsWith("\t\t")) continue;
            if (line[0] == 'C' && line.Length > 2 && line[1] == ' ')
            {
                vendor = null;
                if (TrySplit(line[2..], 2, out var id, out var name))
                {
                    @class = id;
                    db._classes[id] = name;
                }
                continue;
            }
            if (line[0] == '\t')
            {
                var rest = line[1..];
                if (vendor is not null && TrySplit(rest, 4, out var device, out var name)) db._devices[vendor + ":" + device] = name;
                else if (@class is not null && TrySplit(rest, 2, out var subclass, out var subName)) db._classes[@class + subclass] = subName;
                continue;
            }
            @class = null;
            vendor = TrySplit(line, 4, out var vendorId, out var vendorName) ? vendorId : null;
            if (vendor is not null) db._vendors[vendor] = vendorName;
        }
        return db;
    }

    public string? VendorName(string vendor) => _vendors.GetValueOrDefault(vendor);

    public string? DeviceName(string vendor, string device) => _devices.GetValueOrDefault(vendor + ":" + device);

    /// <summary>The subclass name (<c>0200</c> → Ethernet controller), else the class name (<c>02</c>).</summary>
    public string? ClassName(string classAndSubclass) =>
        _classes.GetValueOrDefault(classAndSubclass) ?? (classAndSubclass.Length >= 2 ? _classes.GetValueOrDefault(classAndSubclass[..2]) : null);

    private static bool TrySplit(ReadOnlySpan<char> line, int idLength, out string id, out string name)
    {
        id = name = "";
        if (line.Length < idLength + 2 || !IsHex(line[..idLength]) || line[idLength] != ' ') return false;
        id = line[..idLength].ToString().ToLowerInvariant();
        name = line[idLength..].Trim().ToString();
        return name.Length > 0;
    }

    private static bool IsHex(ReadOnlySpan<char> text) =>
        int.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _);
}
