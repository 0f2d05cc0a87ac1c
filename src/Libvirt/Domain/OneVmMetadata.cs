namespace OneKvm.Libvirt.Domain;

/// <summary>
/// <c>&lt;metadata&gt;&lt;one:vm xmlns:one="http://opennebula.org/xmlns/libvirt/1.0"&gt;</c> written by
/// OpenNebula's deployment file; every field is null when absent.
/// </summary>
public sealed record OneVmMetadata
{
    /// <summary><c>one:name</c>: the OpenNebula VM name.</summary>
    public string? Name { get; init; }

    /// <summary><c>one:uname</c>.</summary>
    public string? UserName { get; init; }

    /// <summary><c>one:uid</c>.</summary>
    public int? UserId { get; init; }

    /// <summary><c>one:gname</c>.</summary>
    public string? GroupName { get; init; }

    /// <summary><c>one:gid</c>.</summary>
    public int? GroupId { get; init; }

    /// <summary><c>one:system_datastore</c>: the VM's directory in the system datastore (trimmed; empty is null).</summary>
    public string? SystemDatastore { get; init; }

    /// <summary><c>one:opennebula_version</c>.</summary>
    public string? OpenNebulaVersion { get; init; }

    /// <summary><c>one:stime</c>: VM start time, Unix seconds.</summary>
    public long? StartTime { get; init; }

    /// <summary><c>one:deployment_time</c>: when the deployment file was generated, Unix seconds.</summary>
    public long? DeploymentTime { get; init; }

    /// <summary><c>one:pci_devices</c> (OpenNebula 7.2+): <c>vendor:device:class[,…]</c>; empty when absent or empty.</summary>
    public IReadOnlyList<OnePciDevice> PciDevices { get; init; } = [];
}

/// <summary>One <c>vendor:device:class</c> entry of <c>one:pci_devices</c> (hex as written, lower-cased), e.g. <c>10de:2236:0302</c>.</summary>
public sealed record OnePciDevice(string Vendor, string Device, string Class)
{
    /// <summary>NVIDIA's PCI vendor id: the monitoring probes read GPU metrics only for such devices.</summary>
    public bool IsNvidia => Vendor == "10de";
}
