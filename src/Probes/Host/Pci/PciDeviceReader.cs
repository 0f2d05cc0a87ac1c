using System.Globalization;
using System.Text.RegularExpressions;
using OneKvm.Cgroups;

namespace OneKvm.Probes.Host.Pci;

/// <summary>
/// Lists the host's PCI functions from sysfs (<c>/sys/bus/pci/devices</c>), with the names of the
/// pci.ids database; no <c>lspci</c> process. A device whose files vanish while it is read
/// (hot-unplug) is skipped; a malformed id is an error naming the file.
/// </summary>
public static partial class PciDeviceReader
{
    public static IReadOnlyList<PciDevice> Read(HostPaths paths, PciIdsDatabase names)
    {
        var root = paths.SysPath("bus", "pci", "devices");
        if (!Directory.Exists(root)) return [];
        var devices = new List<PciDevice>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(root).Order(StringComparer.Ordinal))
        {
            var address = Path.GetFileName(entry);
            if (!AddressPattern().IsMatch(address)) continue;
            if (ReadDevice(entry, address.ToLowerInvariant(), names) is { } device) devices.Add(device);
        }
        return devices;
    }

    private static PciDevice? ReadDevice(string directory, string address, PciIdsDatabase names)
    {
        var vendor = HexId(Path.Join(directory, "vendor"), 4);
        var device = HexId(Path.Join(directory, "device"), 4);
        var @class = HexId(Path.Join(directory, "class"), 6);
        if (vendor is null || device is null || @class is null) return null;
        var classAndSubclass = @class[..4];
        return new PciDevice
        {
            Address = address,
            Vendor = vendor,
            Device = device,
            Class = classAndSubclass,
            VendorName = names.VendorName(vendor),
            DeviceName = names.DeviceName(vendor, device),
            ClassName = names.ClassName(classAndSubclass),
            NumaNode = Int(Path.Join(directory, "numa_node")) is { } node && node >= 0 ? node : null,
            InterfaceNames = InterfaceNames(directory),
            IsVirtualFunction = Path.Exists(Path.Join(directory, "physfn")),
            VirtualFunctionCount = Int(Path.Join(directory, "sriov_numvfs")) ?? 0,
            IsPhysicalFunction = (Int(Path.Join(directory, "sriov_totalvfs")) ?? 0) > 0,
        };
    }

    /// <summary><c>0x8086</c> → <c>8086</c>; null when the file is gone; an error when it is not hex.</summary>
    private static string? HexId(string path, int digits)
    {
        if (KernelFile.ReadValueOrNull(path) is not { } text) return null;
        var hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (hex.Length != digits || !int.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _))
            throw new KernelFileException(path, $"expected a {digits}-digit hex id, found '{text}'");
        return hex.ToLowerInvariant();
    }

    private static int? Int(string path) =>
        int.TryParse(KernelFile.ReadValueOrNull(path), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>The function's network interfaces: <c>net/*</c>, or <c>virtio*/net/*</c> for virtio NICs.</summary>
    private static IReadOnlyList<string> InterfaceNames(string directory)
    {
        try
        {
            var net = Path.Join(directory, "net");
            IEnumerable<string> names = Directory.Exists(net)
                ? Directory.EnumerateFileSystemEntries(net)
                : Directory.EnumerateDirectories(directory, "virtio*")
                    .Select(v => Path.Join(v, "net"))
                    .Where(Directory.Exists)
                    .SelectMany(Directory.EnumerateFileSystemEntries);
            return [.. names.Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is DirectoryNotFoundException or IOException)
        {
            return [];
        }
    }

    [GeneratedRegex("^[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]$")]
    private static partial Regex AddressPattern();
}
