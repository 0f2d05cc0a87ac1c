using System.Globalization;
using System.Numerics;
using System.Xml;
using System.Xml.Linq;

namespace OneKvm.Libvirt.Domain;

/// <summary>The one parser behind <see cref="DomainDefinition.Parse"/>; errors start with the source and name line and element.</summary>
internal sealed class DomainXmlReader
{
    private static readonly XNamespace One = DomainDefinition.OpenNebulaNamespace;

    private readonly string _source;

    private DomainXmlReader(string source) => _source = source;

    public static DomainDefinition Parse(string xml, string source)
    {
        XElement root;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml),
                new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            root = XElement.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new FormatException(
                string.Create(CultureInfo.InvariantCulture, $"{source}: not well-formed XML at line {e.LineNumber}, position {e.LinePosition}: {e.Message}"), e);
        }
        return new DomainXmlReader(source).Domain(root);
    }

    private DomainDefinition Domain(XElement root)
    {
        if (root.Name != "domain") throw Error(root, $"root element is <{root.Name.LocalName}>, not <domain>");
        var name = root.Element("name")?.Value;
        if (string.IsNullOrWhiteSpace(name)) throw Error(root, "no <name>");
        var devices = root.Element("devices");
        var metadata = root.Element("metadata")?.Element(One + "vm");
        return new DomainDefinition
        {
            Name = name,
            Uuid = Uuid(root.Element("uuid")),
            Type = root.Attribute("type")?.Value,
            Id = Number<int>(root.Attribute("id")),
            Title = root.Element("title")?.Value,
            Description = root.Element("description")?.Value,
            Vcpus = Vcpus(root.Element("vcpu")),
            MemoryKiB = Memory(root.Element("memory")),
            MaximumMemoryKiB = Memory(root.Element("maxMemory")),
            CurrentMemoryKiB = Memory(root.Element("currentMemory")),
            CpuTune = CpuTune(root.Element("cputune")),
            Features = root.Element("features")?.Elements().Select(e => e.Name.LocalName).ToList() ?? [],
            Os = root.Element("os")?.Element("type") is { } os
                ? new DomainOs(os.Value.Trim(), os.Attribute("arch")?.Value, os.Attribute("machine")?.Value)
                : null,
            Disks = devices?.Elements("disk").Select(Disk).ToList() ?? [],
            Interfaces = devices?.Elements("interface").Select(Interface).ToList() ?? [],
            Graphics = devices?.Elements("graphics").Select(Graphics).ToList() ?? [],
            Channels = devices?.Elements("channel").Select(Channel).ToList() ?? [],
            HostDevices = devices?.Elements("hostdev").Select(HostDevice).ToList() ?? [],
            OneVm = metadata is null ? null : OneVm(metadata),
        };
    }

    private string? Uuid(XElement? uuid)
    {
        if (uuid is null) return null;
        return Guid.TryParseExact(uuid.Value.Trim(), "D", out var guid) || Guid.TryParseExact(uuid.Value.Trim(), "N", out guid)
            ? guid.ToString("D")
            : throw Error(uuid, $"<uuid> '{uuid.Value}' is not a UUID");
    }

    private DomainVcpus? Vcpus(XElement? vcpu)
    {
        if (vcpu is null) return null;
        var maximum = Required<uint>(vcpu);
        var current = Number<uint>(vcpu.Attribute("current")) ?? maximum;
        if (current > maximum) throw Error(vcpu, $"<vcpu current='{current}'> exceeds the maximum {maximum}");
        return new DomainVcpus(maximum, current, vcpu.Attribute("placement")?.Value, vcpu.Attribute("cpuset")?.Value);
    }

    private ulong? Memory(XElement? memory)
    {
        if (memory is null) return null;
        var value = Required<ulong>(memory);
        var unit = memory.Attribute("unit")?.Value;
        if (MemoryUnit.BytesPer(unit) is null) throw Error(memory, $"<{memory.Name.LocalName}> has an unknown unit '{unit}'");
        return MemoryUnit.ToKiB(value, unit)
            ?? throw Error(memory, $"<{memory.Name.LocalName}> {value} {unit} is beyond 2^64 bytes");
    }

    private DomainCpuTune? CpuTune(XElement? tune) => tune is null ? null : new DomainCpuTune(
        Number<ulong>(tune.Element("shares")),
        Number<ulong>(tune.Element("period")),
        Number<long>(tune.Element("quota")),
        tune.Elements("vcpupin").Select(p => new DomainVcpuPin(
            Number<uint>(p.Attribute("vcpu")) ?? throw Error(p, "<vcpupin> without vcpu"),
            p.Attribute("cpuset")?.Value ?? throw Error(p, "<vcpupin> without cpuset"))).ToList());

    private DomainDisk Disk(XElement disk)
    {
        var target = disk.Element("target");
        var driver = disk.Element("driver");
        return new DomainDisk
        {
            Type = disk.Attribute("type")?.Value,
            Device = disk.Attribute("device")?.Value,
            TargetDev = target?.Attribute("dev")?.Value,
            TargetBus = target?.Attribute("bus")?.Value,
            Source = disk.Element("source") is { } s
                ? new DomainDiskSource(
                    s.Attribute("file")?.Value, s.Attribute("dev")?.Value, s.Attribute("protocol")?.Value, s.Attribute("name")?.Value,
                    s.Attribute("pool")?.Value, s.Attribute("volume")?.Value,
                    s.Elements("host").Select(h => new DomainDiskHost(
                        h.Attribute("name")?.Value, Number<ushort>(h.Attribute("port")), h.Attribute("transport")?.Value)).ToList())
                : null,
            Driver = driver is null ? null : new DomainDiskDriver(
                driver.Attribute("name")?.Value, driver.Attribute("type")?.Value, driver.Attribute("cache")?.Value,
                driver.Attribute("io")?.Value, driver.Attribute("discard")?.Value),
            ReadOnly = disk.Element("readonly") is not null,
            Serial = disk.Element("serial")?.Value,
            IoTune = disk.Element("iotune") is { } io ? IoTune(io) : null,
        };
    }

    private DomainIoTune IoTune(XElement io)
    {
        ulong? U(string name) => Number<ulong>(io.Element(name));
        return new DomainIoTune
        {
            TotalBytesSec = U("total_bytes_sec"),
            ReadBytesSec = U("read_bytes_sec"),
            WriteBytesSec = U("write_bytes_sec"),
            TotalIopsSec = U("total_iops_sec"),
            ReadIopsSec = U("read_iops_sec"),
            WriteIopsSec = U("write_iops_sec"),
            TotalBytesSecMax = U("total_bytes_sec_max"),
            ReadBytesSecMax = U("read_bytes_sec_max"),
            WriteBytesSecMax = U("write_bytes_sec_max"),
            TotalIopsSecMax = U("total_iops_sec_max"),
            ReadIopsSecMax = U("read_iops_sec_max"),
            WriteIopsSecMax = U("write_iops_sec_max"),
            TotalBytesSecMaxLength = U("total_bytes_sec_max_length"),
            ReadBytesSecMaxLength = U("read_bytes_sec_max_length"),
            WriteBytesSecMaxLength = U("write_bytes_sec_max_length"),
            TotalIopsSecMaxLength = U("total_iops_sec_max_length"),
            ReadIopsSecMaxLength = U("read_iops_sec_max_length"),
            WriteIopsSecMaxLength = U("write_iops_sec_max_length"),
            SizeIopsSec = U("size_iops_sec"),
            GroupName = io.Element("group_name")?.Value,
        };
    }

    private DomainInterface Interface(XElement nic)
    {
        var source = nic.Element("source");
        var filter = nic.Element("filterref");
        return new DomainInterface
        {
            Type = nic.Attribute("type")?.Value,
            SourceBridge = source?.Attribute("bridge")?.Value,
            SourceNetwork = source?.Attribute("network")?.Value,
            SourceDev = source?.Attribute("dev")?.Value,
            TargetDev = nic.Element("target")?.Attribute("dev")?.Value,
            Mac = nic.Element("mac")?.Attribute("address")?.Value,
            Model = nic.Element("model")?.Attribute("type")?.Value,
            VirtualPortType = nic.Element("virtualport")?.Attribute("type")?.Value,
            FilterRef = filter is null ? null : new DomainFilterRef(
                filter.Attribute("filter")?.Value ?? throw Error(filter, "<filterref> without filter"),
                filter.Elements("parameter")
                    .Select(p => KeyValuePair.Create(p.Attribute("name")?.Value ?? "", p.Attribute("value")?.Value ?? "")).ToList()),
        };
    }

    private DomainGraphics Graphics(XElement g) => new(
        g.Attribute("type")?.Value ?? "",
        Number<int>(g.Attribute("port")),
        YesNo(g.Attribute("autoport")),
        g.Attribute("listen")?.Value ?? g.Elements("listen").Select(l => l.Attribute("address")?.Value).FirstOrDefault(a => a is not null),
        g.Attribute("passwd") is not null);

    private static DomainChannel Channel(XElement c)
    {
        var target = c.Element("target");
        return new DomainChannel(c.Attribute("type")?.Value, target?.Attribute("type")?.Value, target?.Attribute("name")?.Value,
            target?.Attribute("state")?.Value, c.Element("source")?.Attribute("path")?.Value);
    }

    private DomainHostDevice HostDevice(XElement h)
    {
        var address = h.Element("source")?.Element("address");
        PciAddress? pci = null;
        if (address is not null && h.Attribute("type")?.Value == "pci")
        {
            pci = new PciAddress(
                PciPart<ushort>(address, "domain", ushort.MaxValue), PciPart<byte>(address, "bus", byte.MaxValue),
                PciPart<byte>(address, "slot", 0x1f), PciPart<byte>(address, "function", 7));
        }
        return new DomainHostDevice(h.Attribute("mode")?.Value, h.Attribute("type")?.Value, YesNo(h.Attribute("managed")), pci);
    }

    /// <summary>A PCI address part: <c>0x</c>-prefixed hex (as libvirt writes it) or decimal; an absent domain is 0.</summary>
    private T PciPart<T>(XElement address, string name, ulong max) where T : struct, IBinaryInteger<T>
    {
        var attribute = address.Attribute(name);
        if (attribute is null) return name == "domain" ? T.Zero : throw Error(address, $"PCI <address> without {name}");
        var text = attribute.Value.Trim();
        var hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        return ulong.TryParse(hex ? text.AsSpan(2) : text, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None,
                CultureInfo.InvariantCulture, out var value) && value <= max
            ? T.CreateChecked(value)
            : throw Error(attribute, $"PCI address {name}='{attribute.Value}' is not a number in 0..0x{max:x}");
    }

    private OneVmMetadata OneVm(XElement vm)
    {
        string? Text(string name) => vm.Element(One + name)?.Value;
        var datastore = Text("system_datastore")?.Trim();
        return new OneVmMetadata
        {
            Name = Text("name"),
            UserName = Text("uname"),
            UserId = Number<int>(vm.Element(One + "uid")),
            GroupName = Text("gname"),
            GroupId = Number<int>(vm.Element(One + "gid")),
            SystemDatastore = string.IsNullOrEmpty(datastore) ? null : datastore,
            OpenNebulaVersion = Text("opennebula_version")?.Trim(),
            StartTime = Number<long>(vm.Element(One + "stime")),
            DeploymentTime = Number<long>(vm.Element(One + "deployment_time")),
            PciDevices = vm.Element(One + "pci_devices") is { } pci ? PciDevices(pci) : [],
        };
    }

    private List<OnePciDevice> PciDevices(XElement element)
    {
        var list = new List<OnePciDevice>();
        foreach (var entry in element.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split(':');
            if (parts.Length != 3 || parts.Any(p => p.Length == 0 || !p.All(char.IsAsciiHexDigit)))
                throw Error(element, $"<one:pci_devices> entry '{entry}' is not vendor:device:class");
            list.Add(new OnePciDevice(parts[0].ToLowerInvariant(), parts[1].ToLowerInvariant(), parts[2].ToLowerInvariant()));
        }
        return list;
    }

    private static bool? YesNo(XAttribute? attribute) => attribute?.Value switch
    {
        "yes" => true,
        "no" => false,
        _ => null,
    };

    private T Required<T>(XElement element) where T : struct, IBinaryInteger<T>, IMinMaxValue<T> =>
        string.IsNullOrWhiteSpace(element.Value)
            ? throw Error(element, $"<{element.Name.LocalName}> is empty")
            : Number<T>(element)!.Value;

    /// <summary>An element's text or an attribute's value as <typeparamref name="T"/>; null when absent, a <see cref="FormatException"/> when not a number of that type.</summary>
    private T? Number<T>(XObject? node) where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        var text = node switch
        {
            XElement e => e.Value,
            XAttribute a => a.Value,
            _ => null,
        };
        if (text is null) return null;
        const NumberStyles style = NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign;
        if (T.TryParse(text, style, CultureInfo.InvariantCulture, out var value)) return value;
        var what = node switch
        {
            XElement e => $"<{Path(e)}>",
            XAttribute a => $"<{Path(a.Parent!)} {a.Name.LocalName}=…>",
            _ => "",
        };
        throw Error(node!, string.Create(CultureInfo.InvariantCulture, $"{what} '{text.Trim()}' is not a number in {T.MinValue}..{T.MaxValue}"));
    }

    /// <summary><c>cputune/shares</c>, <c>one:vm/one:uid</c>: the element and its parent, enough to find it.</summary>
    private static string Path(XElement e)
    {
        static string Local(XElement x) => x.GetPrefixOfNamespace(x.Name.Namespace) is { Length: > 0 } p ? $"{p}:{x.Name.LocalName}" : x.Name.LocalName;
        return e.Parent is { } parent && parent.Name != "domain" ? $"{Local(parent)}><{Local(e)}" : Local(e);
    }

    private FormatException Error(XObject at, string message)
    {
        var line = ((IXmlLineInfo)at).HasLineInfo() ? string.Create(CultureInfo.InvariantCulture, $"line {((IXmlLineInfo)at).LineNumber}: ") : "";
        return new FormatException($"{_source}: {line}{message}");
    }
}
