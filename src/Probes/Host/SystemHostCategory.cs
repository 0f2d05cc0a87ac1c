using OneKvm.Probes.Host.Libvirt;
using OneKvm.Probes.OpenNebula;
using OneKvm.Probes.Sampling;

namespace OneKvm.Probes.Host;

/// <summary>
/// <c>SYSTEM_HOST</c> (upstream <c>host/system</c>): what the host is. TOTALCPU, TOTALMEMORY,
/// CGROUPS_VERSION and the NUMA topology are projected from the process's <see cref="KernelSnapshot"/>,
/// the datastores from its <see cref="DatastoreSnapshot"/> and the wild VMs from its domain snapshot,
/// so they are the figures every other consumer of the tick sees. Only what SYSTEM_HOST alone needs
/// and what does not change while the host runs is read here (<see cref="KernelHostReader"/>: the
/// <c>uname</c> identity, the cpuinfo model and MHz; the PCI devices of <c>pci.conf</c>; libvirt's
/// capabilities). <c>KVM_*</c> and <c>MEMORY_ENCRYPTION</c> come from libvirt. When libvirt
/// cannot be reached those keys are left out (oned keeps its previous values) and the category is
/// incomplete (<see cref="Missing"/>: libvirt's error, naming the URI); the rest is still rendered.
/// </summary>
public sealed class SystemHostCategory : Category<SystemHostSample>
{
    public override string Name => "system_host";

    public override string MessageType => "SYSTEM_HOST";

    public override async Task<SystemHostSample> CollectAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        var libvirt = await LibvirtHostReader.ReadAsync(context.Libvirt, cancellationToken);
        var kernel = await context.Host.Kernel.ReadAsync(cancellationToken);
        var kernelInfo = KernelHostReader.Read(context.Paths, kernel, libvirt.Capabilities?.HostArch);
        var numa = kernel.Require(kernel.Numa, KernelSnapshot.NumaPart);
        var datastores = await context.Host.Datastores.ReadAsync(cancellationToken);
        IReadOnlyList<Vm.WildVm> wilds = [];
        string? wildsFailure = null;
        if (libvirt.Failures.Count > 0)
        {
            wildsFailure = "wild VMs left out: libvirt unreachable";
        }
        else
        {
            try
            {
                wilds = await Vm.WildVmsSection.CollectAsync(context, cancellationToken);
            }
            catch (Exception e) when (e is OneKvm.Libvirt.LibvirtException or ProbeException or FormatException)
            {
                wildsFailure = $"wild VMs left out: {e.Message}";
            }
        }
        var (pci, pciFailure) = ReadPci(context.Paths);
        return new SystemHostSample(
            kernelInfo,
            libvirt,
            numa,
            datastores.Info,
            wilds,
            wildsFailure) { Pci = pci, PciFailure = pciFailure };
    }

    /// <summary>Upstream's <c>pci.conf</c>, under the remotes' <c>etc/im/kvm-probes.d/</c>.</summary>
    public static string PciConfPath(OneKvm.Cgroups.HostPaths paths) => Path.Join(paths.Remotes, "etc", "im", "kvm-probes.d", "pci.conf");

    private static (string Text, string? Failure) ReadPci(OneKvm.Cgroups.HostPaths paths)
    {
        try
        {
            var filter = Pci.PciFilter.From(ProbeConfFile.Load(PciConfPath(paths)));
            if (ReferenceEquals(filter, Pci.PciFilter.Default)) return ("", null); // upstream's shipped filter offers nothing: no sysfs walk
            return (Pci.PciTemplate.Render(Pci.PciDeviceReader.Read(paths, Pci.PciIdsDatabase.LoadFirst(Pci.PciIdsDatabase.DefaultLocations)), filter), null);
        }
        catch (Exception e) when (e is FormatException or OneKvm.Cgroups.KernelFileException or IOException)
        {
            return ("", $"PCI devices left out: {e.Message}");
        }
    }

    public override IReadOnlyList<string> Missing(SystemHostSample sample)
    {
        if (sample.Libvirt.Failures.Count > 0)
            return [$"libvirt attributes left out ({string.Join(", ", MissingLibvirtKeys(sample.Libvirt))}): {string.Join("; ", sample.Libvirt.Failures)}"];
        return [.. new[] { sample.WildsFailure, sample.PciFailure }.OfType<string>()];
    }

    public override string Render(SystemHostSample sample, ProbeContext context)
    {
        var w = new TemplateWriter();
        var kernel = sample.Kernel;
        var libvirt = sample.Libvirt;
        w.Bare("HYPERVISOR", "kvm");
        if (kernel.Arch is { } arch) w.Quoted("ARCH", arch);
        if (kernel.ModelName is { } model) w.Quoted("MODELNAME", model);
        if (kernel.CpuSpeedMhz is { } speed) w.Bare("CPUSPEED", speed);
        w.Bare("TOTALCPU", kernel.TotalCpu);
        w.Bare("TOTALMEMORY", (long)kernel.TotalMemoryKib);
        if (kernel.CgroupsVersion is { } cgroups) w.Bare("CGROUPS_VERSION", cgroups);
        if (libvirt.CpuFeatures is { } features) w.Quoted("KVM_CPU_FEATURES", string.Join(',', features));
        if (libvirt.Capabilities is { } caps)
        {
            w.Quoted("KVM_MACHINES", string.Join(' ', caps.Machines));
            if (caps.HostCpuModel is { } cpuModel) w.Quoted("KVM_CPU_MODEL", cpuModel);
        }
        if (libvirt.DomainCapabilities is { } domCaps)
        {
            w.Quoted("KVM_CPU_MODELS", string.Join(' ', domCaps.CpuModels));
            w.Quoted("MEMORY_ENCRYPTION", domCaps.MemoryEncryption);
        }
        DatastoreTemplate.Write(w, sample.Datastores);
        if (kernel.HostName is { } hostName) w.Quoted("HOSTNAME", hostName);
        NumaTemplate.WriteTopology(w, sample.Numa);
        w.Raw(sample.Pci);
        if (kernel.OpenNebulaVersion is { } version) w.Quoted("VERSION", version);
        w.Raw(Vm.WildVmsSection.Render(sample.Wilds));
        return w.ToString();
    }

    private static IEnumerable<string> MissingLibvirtKeys(LibvirtHostInfo libvirt)
    {
        if (libvirt.CpuFeatures is null) yield return "KVM_CPU_FEATURES";
        if (libvirt.Capabilities is null)
        {
            yield return "KVM_MACHINES";
            yield return "KVM_CPU_MODEL";
        }
        if (libvirt.DomainCapabilities is null)
        {
            yield return "KVM_CPU_MODELS";
            yield return "MEMORY_ENCRYPTION";
        }
    }
}
