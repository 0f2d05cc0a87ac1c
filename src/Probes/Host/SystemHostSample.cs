using OneKvm.Probes.Host.Kernel;
using OneKvm.Probes.Host.Libvirt;

namespace OneKvm.Probes.Host;

/// <summary>
/// One SYSTEM_HOST reading, one member per section. A new section (e.g. wild VMs) is one more
/// member here, one more read in <see cref="SystemHostCategory.CollectAsync"/> and one more render call.
/// </summary>
public sealed record SystemHostSample(
    KernelHostInfo Kernel,
    LibvirtHostInfo Libvirt,
    IReadOnlyList<NumaNode> Numa,
    DatastoreInfo Datastores,
    IReadOnlyList<Vm.WildVm> Wilds,
    string? WildsFailure = null)
{
    /// <summary>SYSTEM_HOST's <c>PCI = [ … ]</c> vectors (devices offered by <c>pci.conf</c>), possibly empty.</summary>
    public string Pci { get; init; } = "";

    /// <summary>Why <see cref="Pci"/> was left out (a bad <c>pci.conf</c>, an unreadable device), or null.</summary>
    public string? PciFailure { get; init; }
}
