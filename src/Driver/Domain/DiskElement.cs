using System.Globalization;
using System.Xml.Linq;

namespace OneKvm.Driver.Domain;

/// <summary>
/// Builds a libvirt <c>&lt;disk&gt;</c> element from an OpenNebula <c>DISK</c> vector, following
/// <c>LibVirtDriverKVM.cc</c>: type, target and bus, driver
/// (type/cache/io/discard), <c>&lt;iotune&gt;</c>, readonly/shareable/serial, SCSI address.
/// Values come from the disk first, then the defaults (host/cluster/conf, or kvmrc's
/// <c>DEFAULT_ATTACH_*</c> for hot-plug). Network sources (Ceph, iSCSI, Gluster) are not built yet.
/// </summary>
public static class DiskElement
{
    private static readonly string[] IoTuneGroups = ["BYTES", "IOPS"];

    /// <param name="disk">The DISK attributes (upper-case names).</param>
    /// <param name="defaults">Fallback DISK defaults (<c>CACHE</c>, <c>DISCARD</c>, <c>IO</c>, <c>*_SEC*</c>, <c>DRIVER</c>).</param>
    /// <param name="source">Path of the disk on the host (<c>&lt;system_dir&gt;/disk.N</c>).</param>
    /// <param name="machine">The VM's machine type, for the bus of <c>hd*</c> targets and CD-ROMs.</param>
    /// <param name="hotPlug">
    /// For <c>attach_disk</c>: as upstream's script, no <c>bus</c> attribute (libvirt takes it from the
    /// target prefix: <c>sd</c> → SCSI, which can be hot-plugged, also for a CD-ROM; <c>vd</c> → virtio).
    /// </param>
    public static XElement Build(
        IReadOnlyDictionary<string, string> disk, IReadOnlyDictionary<string, string> defaults, string source, string machine = "pc",
        bool hotPlug = false)
    {
        string? Get(string name) => disk.TryGetValue(name, out var v) && v.Length > 0 ? v
            : defaults.TryGetValue(name, out var d) && d.Length > 0 ? d : null;

        var type = (disk.GetValueOrDefault("TYPE") ?? "FILE").ToUpperInvariant();
        if (type is "ISCSI" or "RBD" or "RBD_CDROM" or "GLUSTER" or "GLUSTER_CDROM" or "SHEEPDOG" or "SHEEPDOG_CDROM")
            throw new NotSupportedException($"DISK TYPE={type}: network disks are not supported by onekvm-driver yet");
        var cdrom = type is "CDROM" or "BLOCK_CDROM";
        var block = type is "BLOCK" or "BLOCK_CDROM";

        var target = disk.GetValueOrDefault("TARGET");
        if (string.IsNullOrEmpty(target)) throw new FormatException("Wrong target value in DISK.");
        var q35 = machine.Contains("q35", StringComparison.Ordinal) || machine.Contains("virt", StringComparison.Ordinal);
        string? bus = target[0] switch
        {
            'v' => "virtio",
            's' => Get("SD_DISK_BUS"),
            _ => q35 ? "sata" : "ide",
        };
        if (cdrom) bus = q35 ? "sata" : "ide";
        if (hotPlug) bus = null;

        var element = new XElement("disk",
            new XAttribute("type", block ? "block" : "file"),
            new XAttribute("device", cdrom ? "cdrom" : "disk"));

        var driver = new XElement("driver", new XAttribute("name", "qemu"),
            new XAttribute("type", cdrom ? "raw" : Get("DRIVER") ?? "raw"),
            new XAttribute("cache", Get("CACHE") ?? "default"));
        if (Get("IO") is { } io) driver.Add(new XAttribute("io", io));
        if (Get("DISCARD") is { } discard) driver.Add(new XAttribute("discard", discard));
        element.Add(driver);

        element.Add(new XElement("source", new XAttribute(block ? "dev" : "file", source)));
        var targetElement = new XElement("target", new XAttribute("dev", target));
        if (bus is not null) targetElement.Add(new XAttribute("bus", bus));
        element.Add(targetElement);

        if (IsYes(disk.GetValueOrDefault("READONLY")) || cdrom) element.Add(new XElement("readonly"));
        if (IsYes(disk.GetValueOrDefault("SHAREABLE"))) element.Add(new XElement("shareable"));
        if (disk.GetValueOrDefault("SERIAL") is { Length: > 0 } serial) element.Add(new XElement("serial", serial));
        if (IoTune(Get) is { } iotune) element.Add(iotune);

        if (target.StartsWith("sd", StringComparison.Ordinal) && (hotPlug || (bus ?? "scsi") == "scsi") && ScsiTarget(target[2..]) is { } n)
        {
            element.Add(new XElement("address", new XAttribute("type", "drive"), new XAttribute("controller", "0"),
                new XAttribute("bus", "0"), new XAttribute("target", n.ToString(CultureInfo.InvariantCulture)), new XAttribute("unit", "0")));
        }
        return element;
    }

    /// <summary><c>&lt;iotune&gt;</c> per the upstream rules: total_* excludes read/write_*; <c>_max</c> only above the base.</summary>
    internal static XElement? IoTune(Func<string, string?> get)
    {
        var iotune = new XElement("iotune");
        var anyIops = false;
        foreach (var group in IoTuneGroups)
        {
            var kinds = get($"TOTAL_{group}_SEC") is not null || get($"TOTAL_{group}_SEC_MAX") is not null
                ? new[] { "TOTAL" } : ["READ", "WRITE"];
            foreach (var kind in kinds)
            {
                var name = $"{kind}_{group}_SEC";
                var value = Number(name, get(name), group);
                var max = Number(name + "_MAX", get(name + "_MAX"), group);
                if (value is > 0)
                {
                    iotune.Add(new XElement(name.ToLowerInvariant(), value.Value));
                    if (group == "IOPS") anyIops = true;
                }
                if (max is { } m && m > (value ?? 0))
                {
                    iotune.Add(new XElement((name + "_MAX").ToLowerInvariant(), m));
                    if (group == "IOPS") anyIops = true;
                    if (Number(name + "_MAX_LENGTH", get(name + "_MAX_LENGTH"), group) is { } length)
                        iotune.Add(new XElement((name + "_MAX_LENGTH").ToLowerInvariant(), length));
                }
            }
        }
        if (anyIops && Number("SIZE_IOPS_SEC", get("SIZE_IOPS_SEC"), "IOPS") is { } size)
            iotune.Add(new XElement("size_iops_sec", size));
        return iotune.HasElements ? iotune : null;
    }

    private static ulong? Number(string name, string? text, string group)
    {
        if (text is null) return null;
        var limit = group == "IOPS" ? uint.MaxValue : ulong.MaxValue;
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= limit
            ? value
            : throw new FormatException($"DISK {name}='{text}' is not an unsigned whole number");
    }

    /// <summary><c>sda</c>→0, <c>sdb</c>→1, <c>sdaa</c>→26 (base-26 letters); null outside 0..255.</summary>
    internal static int? ScsiTarget(string letters)
    {
        if (letters.Length == 0 || letters.Any(c => c is < 'a' or > 'z')) return null;
        var n = 0;
        foreach (var c in letters)
        {
            n = n * 26 + (c - 'a' + 1);
            if (n > 300) return null;
        }
        n--;
        return n is >= 0 and < 256 ? n : null;
    }

    private static bool IsYes(string? value) => value is not null && value.Equals("yes", StringComparison.OrdinalIgnoreCase);
}
