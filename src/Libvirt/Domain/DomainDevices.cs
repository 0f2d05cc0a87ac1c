namespace OneKvm.Libvirt.Domain;

/// <summary>A <c>&lt;disk type=… device=…&gt;</c>.</summary>
public sealed record DomainDisk
{
    /// <summary><c>file</c>, <c>block</c>, <c>network</c>, <c>volume</c>, …</summary>
    public string? Type { get; init; }

    /// <summary><c>disk</c>, <c>cdrom</c>, <c>floppy</c>, <c>lun</c>.</summary>
    public string? Device { get; init; }

    public string? TargetDev { get; init; }

    public string? TargetBus { get; init; }

    public DomainDiskSource? Source { get; init; }

    public DomainDiskDriver? Driver { get; init; }

    /// <summary>True when a <c>&lt;readonly/&gt;</c> child is present.</summary>
    public bool ReadOnly { get; init; }

    public string? Serial { get; init; }

    public DomainIoTune? IoTune { get; init; }

    /// <summary>What the disk reads: the source file, device, network name or volume (null for an empty CD-ROM).</summary>
    public string? SourcePath => Source is { } s ? s.File ?? s.Dev ?? s.Name ?? s.Volume : null;
}

/// <summary><c>&lt;source file=… | dev=… | protocol=… name=… | pool=… volume=…&gt;</c> with its <c>&lt;host&gt;</c>s.</summary>
public sealed record DomainDiskSource(
    string? File,
    string? Dev,
    string? Protocol,
    string? Name,
    string? Pool,
    string? Volume,
    IReadOnlyList<DomainDiskHost> Hosts);

/// <summary><c>&lt;host name='mon1' port='6789' transport='tcp'/&gt;</c> of a network disk.</summary>
public sealed record DomainDiskHost(string? Name, ushort? Port, string? Transport);

/// <summary><c>&lt;driver name='qemu' type='qcow2' cache='none' io='native' discard='unmap'/&gt;</c>.</summary>
public sealed record DomainDiskDriver(string? Name, string? Type, string? Cache, string? Io, string? Discard);

/// <summary><c>&lt;iotune&gt;</c>: limits in bytes or operations per second, bursts and their lengths in seconds.</summary>
public sealed record DomainIoTune
{
    public ulong? TotalBytesSec { get; init; }

    public ulong? ReadBytesSec { get; init; }

    public ulong? WriteBytesSec { get; init; }

    public ulong? TotalIopsSec { get; init; }

    public ulong? ReadIopsSec { get; init; }

    public ulong? WriteIopsSec { get; init; }

    public ulong? TotalBytesSecMax { get; init; }

    public ulong? ReadBytesSecMax { get; init; }

    public ulong? WriteBytesSecMax { get; init; }

    public ulong? TotalIopsSecMax { get; init; }

    public ulong? ReadIopsSecMax { get; init; }

    public ulong? WriteIopsSecMax { get; init; }

    public ulong? TotalBytesSecMaxLength { get; init; }

    public ulong? ReadBytesSecMaxLength { get; init; }

    public ulong? WriteBytesSecMaxLength { get; init; }

    public ulong? TotalIopsSecMaxLength { get; init; }

    public ulong? ReadIopsSecMaxLength { get; init; }

    public ulong? WriteIopsSecMaxLength { get; init; }

    public ulong? SizeIopsSec { get; init; }

    public string? GroupName { get; init; }
}

/// <summary>An <c>&lt;interface type=…&gt;</c>.</summary>
public sealed record DomainInterface
{
    /// <summary><c>bridge</c>, <c>ethernet</c>, <c>network</c>, <c>direct</c>, <c>vhostuser</c>, …</summary>
    public string? Type { get; init; }

    public string? SourceBridge { get; init; }

    public string? SourceNetwork { get; init; }

    /// <summary><c>source@dev</c> (macvtap <c>direct</c> interfaces).</summary>
    public string? SourceDev { get; init; }

    /// <summary>The host-side device (<c>one-74-0</c>).</summary>
    public string? TargetDev { get; init; }

    public string? Mac { get; init; }

    public string? Model { get; init; }

    /// <summary><c>virtualport@type</c>, e.g. <c>openvswitch</c>.</summary>
    public string? VirtualPortType { get; init; }

    public DomainFilterRef? FilterRef { get; init; }
}

/// <summary><c>&lt;filterref filter='clean-traffic'&gt;&lt;parameter name='IP' value='…'/&gt;</c>; parameters in document order (names may repeat).</summary>
public sealed record DomainFilterRef(string Filter, IReadOnlyList<KeyValuePair<string, string>> Parameters);

/// <summary>A <c>&lt;graphics&gt;</c> device.</summary>
/// <param name="Type"><c>vnc</c>, <c>spice</c>, …</param>
/// <param name="Port">The live port (-1 when not allocated).</param>
/// <param name="AutoPort"><c>autoport</c> yes/no, null when absent.</param>
/// <param name="Listen"><c>listen</c> attribute, else the first <c>&lt;listen address=…&gt;</c>.</param>
/// <param name="HasPassword">True when a <c>passwd</c> attribute is present (the password itself is not kept).</param>
public sealed record DomainGraphics(string Type, int? Port, bool? AutoPort, string? Listen, bool HasPassword);

/// <summary>A <c>&lt;channel type='unix'&gt;&lt;source path=…/&gt;&lt;target type='virtio' name=… state=…/&gt;</c>.</summary>
public sealed record DomainChannel(string? Type, string? TargetType, string? TargetName, string? TargetState, string? SourcePath);

/// <summary>A <c>&lt;hostdev mode='subsystem' type='pci' managed='yes'&gt;</c>; <see cref="PciAddress"/> is its <c>source/address</c>.</summary>
public sealed record DomainHostDevice(string? Mode, string? Type, bool? Managed, PciAddress? PciAddress);

/// <summary>A host PCI address (<c>&lt;address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/&gt;</c>).</summary>
public readonly record struct PciAddress(ushort Domain, byte Bus, byte Slot, byte Function)
{
    /// <summary><c>0000:01:00.0</c>, as <c>lspci -D</c> and sysfs write it.</summary>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Domain:x4}:{Bus:x2}:{Slot:x2}.{Function:x1}");
}
