using System.Globalization;
using System.Text;
using OneKvm.Probes.OpenNebula;

namespace OneKvm.Probes.Host.Pci;

/// <summary>
/// SYSTEM_HOST's <c>PCI = [ … ]</c> vectors, one per offered device, in the layout of upstream's
/// <c>pci.rb</c> (one <c> KEY = "value" </c> per line, comma-separated) and its key order; oned's
/// <c>HostSharePCI</c> reads them. Names the pci.ids database lacks are printed as the bare kind
/// (<c>Device</c>, <c>Vendor</c>, <c>Class</c>), as <c>lspci -mm</c> prints them.
/// </summary>
public static class PciTemplate
{
    public static string Render(IEnumerable<PciDevice> devices, PciFilter filter)
    {
        var text = new StringBuilder();
        foreach (var device in devices)
        {
            if (!filter.Includes(device)) continue;
            if (filter.IsNvidia(device) && device.IsPhysicalFunction && device.VirtualFunctionCount > 0) continue;
            var values = new List<(string, string)>
            {
                ("TYPE", $"{device.Vendor}:{device.Device}:{device.Class}"),
                ("VENDOR", device.Vendor),
                ("VENDOR_NAME", device.VendorName ?? "Vendor"),
                ("DEVICE", device.Device),
                ("CLASS", device.Class),
                ("CLASS_NAME", device.ClassName ?? "Class"),
                ("ADDRESS", device.Address),
                ("SHORT_ADDRESS", device.ShortAddress),
                ("DOMAIN", device.Domain),
                ("BUS", device.Bus),
                ("SLOT", device.Slot),
                ("FUNCTION", device.Function),
                ("NUMA_NODE", device.NumaNode?.ToString(CultureInfo.InvariantCulture) ?? "-"),
                ("IFNAME", device.InterfaceNames.Count > 0 ? device.InterfaceNames[0] : "-"),
                ("SRIOV", device.IsVirtualFunction ? "vf" : device.IsPhysicalFunction ? "pf" : "no"),
                ("SRIOV_NUM", device.VirtualFunctionCount.ToString(CultureInfo.InvariantCulture)),
            };
            var deviceName = device.DeviceName ?? "Device";
            values.Add(("DEVICE_NAME", filter.IsNvidia(device) ? $"{device.VendorName ?? "Vendor"} {deviceName}" : deviceName));
            text.Append("PCI = [\n");
            text.AppendJoin(",\n", values.Select(v => $" {v.Item1} = \"{TemplateWriter.Escape(v.Item2)}\" "));
            text.Append("\n]\n");
        }
        return text.ToString();
    }
}
