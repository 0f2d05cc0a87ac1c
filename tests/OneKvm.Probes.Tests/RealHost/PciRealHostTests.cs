using System.Diagnostics;
using System.Text.RegularExpressions;
using OneKvm.Cgroups;
using OneKvm.Probes.Host.Pci;

namespace OneKvm.Probes.Tests.RealHost;

/// <summary>The sysfs reader against the real host's PCI bus, checked with <c>lspci -mmnn</c> (pciutils, pci.ids).</summary>
[Trait("Category", "RealHost")]
public partial class PciRealHostTests
{
    [Fact]
    public void Every_device_matches_lspci()
    {
        var devices = PciDeviceReader.Read(HostPaths.Default, PciIdsDatabase.LoadFirst(PciIdsDatabase.DefaultLocations));
        var lspci = Lspci();
        devices.Count.ShouldBeGreaterThan(0);
        devices.Select(d => d.ShortAddress).ShouldBe(lspci.Keys.Order(StringComparer.Ordinal), ignoreOrder: true);
        foreach (var device in devices)
        {
            var (cls, vendor, dev) = lspci[device.ShortAddress];
            (device.Class, device.Vendor, device.Device).ShouldBe((cls.Id, vendor.Id, dev.Id), device.Address);
            device.VendorName.ShouldBe(vendor.Name, device.Address);
            // lspci prints "Device [0d57]" where the database has no name; so does the template.
            (device.DeviceName ?? "Device").ShouldBe(dev.Name, device.Address);
            device.ClassName.ShouldBe(cls.Name, device.Address);
        }
    }

    private static Dictionary<string, ((string Id, string Name) Class, (string Id, string Name) Vendor, (string Id, string Name) Device)> Lspci()
    {
        var psi = new ProcessStartInfo("lspci", "-mmnn") { RedirectStandardOutput = true };
        using var process = Process.Start(psi)!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.ShouldBe(0);
        var result = new Dictionary<string, ((string, string), (string, string), (string, string))>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = Quoted().Matches(line).Select(m => m.Groups[1].Value).ToArray();
            result[line[..line.IndexOf(' ', StringComparison.Ordinal)]] = (Split(fields[0]), Split(fields[1]), Split(fields[2]));
        }
        return result;
    }

    private static (string Id, string Name) Split(string field)
    {
        var m = NameAndId().Match(field);
        return (m.Groups[2].Value, m.Groups[1].Value);
    }

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"^(.*) \[([0-9a-f]{4})\]$")]
    private static partial Regex NameAndId();
}
