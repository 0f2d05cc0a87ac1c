namespace OneKvm.Libvirt.Domain;

/// <summary>
/// What OneKvm reads from a domain XML (libvirt <c>docs/formatdomain.rst</c>; the live XML of
/// <c>virDomainGetXMLDesc</c> / <c>virsh dumpxml</c>), typed:
/// <code>&lt;domain type='qemu' id='3'&gt;&lt;name&gt;one-74&lt;/name&gt;&lt;uuid&gt;…&lt;/uuid&gt;&lt;memory unit='KiB'&gt;98304&lt;/memory&gt;…</code>
/// Parsed in one place (<see cref="Parse"/>) for the probes, the cgroup audit and the driver.
/// An optional part that is absent is null (or an empty list); one that is present but invalid is
/// a <see cref="FormatException"/>.
/// </summary>
public sealed record DomainDefinition
{
    /// <summary>The namespace of OpenNebula's <c>&lt;one:vm&gt;</c> metadata (<c>LIBVIRT_MD_URI</c>).</summary>
    public const string OpenNebulaNamespace = "http://opennebula.org/xmlns/libvirt/1.0";

    /// <summary>The target name of QEMU's guest agent channel.</summary>
    public const string GuestAgentChannelName = "org.qemu.guest_agent.0";

    public required string Name { get; init; }

    /// <summary>Canonical lower-case UUID (<c>8-4-4-4-12</c>); null when the XML has none (a definition before libvirt assigned one).</summary>
    public string? Uuid { get; init; }

    /// <summary><c>domain@type</c>: <c>kvm</c>, <c>qemu</c>, …</summary>
    public string? Type { get; init; }

    /// <summary><c>domain@id</c>: libvirt's runtime id of a running domain, null while inactive.</summary>
    public int? Id { get; init; }

    public string? Title { get; init; }

    public string? Description { get; init; }

    /// <summary><c>&lt;vcpu&gt;</c>, or null when absent.</summary>
    public DomainVcpus? Vcpus { get; init; }

    /// <summary><c>&lt;memory&gt;</c> (the boot-time maximum) in KiB.</summary>
    public ulong? MemoryKiB { get; init; }

    /// <summary><c>&lt;maxMemory&gt;</c> (memory hot-plug ceiling) in KiB.</summary>
    public ulong? MaximumMemoryKiB { get; init; }

    /// <summary><c>&lt;currentMemory&gt;</c> (the balloon target) in KiB.</summary>
    public ulong? CurrentMemoryKiB { get; init; }

    /// <summary><c>&lt;cputune&gt;</c>, or null when absent.</summary>
    public DomainCpuTune? CpuTune { get; init; }

    /// <summary>Element names under <c>&lt;features&gt;</c>, in document order (<c>acpi</c>, <c>apic</c>, <c>pae</c>, …).</summary>
    public IReadOnlyList<string> Features { get; init; } = [];

    /// <summary><c>&lt;os&gt;&lt;type arch=… machine=…&gt;hvm&lt;/type&gt;</c>, or null when absent.</summary>
    public DomainOs? Os { get; init; }

    public IReadOnlyList<DomainDisk> Disks { get; init; } = [];

    public IReadOnlyList<DomainInterface> Interfaces { get; init; } = [];

    public IReadOnlyList<DomainGraphics> Graphics { get; init; } = [];

    public IReadOnlyList<DomainChannel> Channels { get; init; } = [];

    public IReadOnlyList<DomainHostDevice> HostDevices { get; init; } = [];

    /// <summary>OpenNebula's <c>&lt;one:vm&gt;</c> metadata, or null for a domain OpenNebula did not deploy.</summary>
    public OneVmMetadata? OneVm { get; init; }

    /// <summary>The OpenNebula VM id when <see cref="Name"/> is exactly <c>one-&lt;id&gt;</c> (<see cref="OneVmName"/>), else null (a wild VM).</summary>
    public int? OneVmId => OneVmName.TryParseId(Name, out var id) ? id : null;

    /// <summary>The <c>org.qemu.guest_agent.0</c> channel, or null when the domain has none.</summary>
    public DomainChannel? GuestAgentChannel => Channels.FirstOrDefault(c => c.TargetName == GuestAgentChannelName);

    /// <summary>
    /// Parses a domain XML. DTDs are refused. Malformed XML, another root element, a missing
    /// <c>&lt;name&gt;</c>, a number beyond its type or an unknown unit is a <see cref="FormatException"/>
    /// whose message starts with <paramref name="source"/> (e.g. <c>domain one-74 (c5f3…)</c>) and
    /// names the line and the element.
    /// </summary>
    public static DomainDefinition Parse(string xml, string source) => DomainXmlReader.Parse(xml, source);
}

/// <summary><c>&lt;vcpu placement='static' cpuset='1-4,^3' current='1'&gt;2&lt;/vcpu&gt;</c>; <see cref="Current"/> is <see cref="Maximum"/> when the attribute is absent.</summary>
public sealed record DomainVcpus(uint Maximum, uint Current, string? Placement, string? CpuSet);

/// <summary><c>&lt;cputune&gt;</c>: <c>shares</c>, <c>period</c> and <c>quota</c> (µs; a negative quota is no limit), <c>vcpupin</c>s.</summary>
public sealed record DomainCpuTune(ulong? Shares, ulong? PeriodMicroseconds, long? QuotaMicroseconds, IReadOnlyList<DomainVcpuPin> VcpuPins);

/// <summary><c>&lt;vcpupin vcpu='0' cpuset='1-2'/&gt;</c>.</summary>
public sealed record DomainVcpuPin(uint Vcpu, string CpuSet);

/// <summary><c>&lt;os&gt;&lt;type arch='x86_64' machine='pc-i440fx-7.2'&gt;hvm&lt;/type&gt;</c>.</summary>
public sealed record DomainOs(string? Type, string? Arch, string? Machine);
