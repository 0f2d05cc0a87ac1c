namespace OneKvm.Probes.Virsh;

/// <summary>What OneKvm reads from a live domain's XML (<c>virsh dumpxml</c>).</summary>
public sealed record DomainXml
{
    public required string Name { get; init; }

    public required string Uuid { get; init; }

    public string? Title { get; init; }

    /// <summary><c>&lt;vcpu&gt;</c> (maximum vCPUs).</summary>
    public int? Vcpus { get; init; }

    /// <summary><c>&lt;memory&gt;</c> converted to KiB.</summary>
    public ulong? MemoryKiB { get; init; }

    /// <summary><c>os/type@arch</c>, e.g. <c>x86_64</c>.</summary>
    public string? OsArch { get; init; }

    /// <summary>Element names under <c>&lt;features&gt;</c>, in document order (<c>acpi</c>, <c>apic</c>, <c>pae</c>, …).</summary>
    public IReadOnlyList<string> Features { get; init; } = [];

    public IReadOnlyList<DomainDisk> Disks { get; init; } = [];

    public IReadOnlyList<DomainInterface> Interfaces { get; init; } = [];

    public IReadOnlyList<DomainGraphics> Graphics { get; init; } = [];

    /// <summary>True when a <c>org.qemu.guest_agent.0</c> virtio channel is defined.</summary>
    public bool GuestAgentChannel { get; init; }

    /// <summary>OpenNebula's <c>&lt;one:vm&gt;</c> metadata, or null for domains OpenNebula did not deploy.</summary>
    public OneVmMetadata? OneVm { get; init; }
}

/// <summary>A <c>&lt;disk&gt;</c>: target device, source (file, dev, or network name), driver type.</summary>
public sealed record DomainDisk(string? Device, string? TargetDev, string? Bus, string? Source, string? DriverType);

/// <summary>An <c>&lt;interface&gt;</c>: type, host-side target device, MAC, model.</summary>
public sealed record DomainInterface(string? Type, string? TargetDev, string? Mac, string? Model);

/// <summary>A <c>&lt;graphics&gt;</c> device; <see cref="Port"/> is the live port (-1 when not allocated).</summary>
public sealed record DomainGraphics(string Type, int? Port, string? Listen);

/// <summary>
/// <c>&lt;metadata&gt;&lt;one:vm xmlns:one="http://opennebula.org/xmlns/libvirt/1.0"&gt;</c> written by
/// OpenNebula's deployment file; every field is null when absent.
/// </summary>
public sealed record OneVmMetadata(
    string? Name,
    string? UserName,
    int? UserId,
    string? GroupName,
    int? GroupId,
    string? SystemDatastore,
    string? OpenNebulaVersion,
    long? StartTime,
    long? DeploymentTime);
