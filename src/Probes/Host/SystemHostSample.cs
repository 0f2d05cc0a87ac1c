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
    string? WildsFailure = null);
