namespace OneKvm.Probes.Host.Libvirt;

/// <summary>What SYSTEM_HOST uses of the host capabilities.</summary>
/// <param name="HostArch"><c>host/cpu/arch</c>, e.g. <c>x86_64</c>.</param>
/// <param name="HostCpuModel"><c>host/cpu/model</c>, e.g. <c>EPYC-Rome</c>; null when libvirt names none.</param>
/// <param name="Machines">Machine types for i686, x86_64 and aarch64 guests, unique, in document order.</param>
public sealed record HostCapabilities(string? HostArch, string? HostCpuModel, IReadOnlyList<string> Machines);

/// <summary>What SYSTEM_HOST uses of the domain capabilities for the host architecture.</summary>
/// <param name="CpuModels">Usable models of <c>cpu/mode[@name='custom'][@supported='yes']</c>.</param>
/// <param name="MemoryEncryption"><c>SEV-SNP</c>, <c>SEV-ES</c>, <c>SEV</c>, <c>TDX</c> or <c>NONE</c>.</param>
public sealed record DomainCapabilities(IReadOnlyList<string> CpuModels, string MemoryEncryption);

/// <summary>
/// The libvirt part of SYSTEM_HOST. Each part is null when its libvirt call failed; <see cref="Failures"/>
/// then says why (naming the URI).
/// </summary>
public sealed record LibvirtHostInfo(
    HostCapabilities? Capabilities,
    DomainCapabilities? DomainCapabilities,
    IReadOnlyList<string>? CpuFeatures,
    IReadOnlyList<string> Failures);
