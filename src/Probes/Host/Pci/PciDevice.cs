namespace OneKvm.Probes.Host.Pci;

/// <summary>
/// One PCI function as sysfs shows it (<c>/sys/bus/pci/devices/DDDD:BB:SS.F</c>). Ids are lower-case
/// hex without <c>0x</c>: <see cref="Class"/> is class and subclass (4 digits, as <c>lspci -nn</c>
/// prints it). Names come from the pci.ids database, or are null when it does not know them.
/// </summary>
public sealed record PciDevice
{
    /// <summary>Full address, <c>0000:00:1f.2</c>.</summary>
    public required string Address { get; init; }

    public required string Vendor { get; init; }

    public required string Device { get; init; }

    public required string Class { get; init; }

    public string? VendorName { get; init; }

    public string? DeviceName { get; init; }

    public string? ClassName { get; init; }

    /// <summary><c>numa_node</c>, or null when the kernel reports none (-1) or the file is absent.</summary>
    public int? NumaNode { get; init; }

    /// <summary>Network interface names under <c>net/</c> (empty for non-NICs).</summary>
    public IReadOnlyList<string> InterfaceNames { get; init; } = [];

    /// <summary>True for an SR-IOV virtual function (a <c>physfn</c> link exists).</summary>
    public bool IsVirtualFunction { get; init; }

    /// <summary>Number of virtual functions enabled on a physical function (<c>sriov_numvfs</c>), 0 when none.</summary>
    public int VirtualFunctionCount { get; init; }

    /// <summary>True when the function can host SR-IOV VFs (<c>sriov_totalvfs</c> present and &gt; 0).</summary>
    public bool IsPhysicalFunction { get; init; }

    /// <summary><c>0000</c> of <c>0000:00:1f.2</c>.</summary>
    public string Domain => Address[..4];

    /// <summary><c>00:1f.2</c>: the address without its domain, as <c>lspci</c> prints it.</summary>
    public string ShortAddress => Address[5..];

    public string Bus => Address.Substring(5, 2);

    public string Slot => Address.Substring(8, 2);

    public string Function => Address[11..];
}
