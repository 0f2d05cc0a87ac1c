using System.Globalization;
using OneKvm.Cgroups.Vm;
using OneKvm.Libvirt.Domain;
using OneKvm.Probes.OpenNebula;

namespace OneKvm.Probes.Audit;

/// <summary>
/// What one read saw of one running domain: its XML, its OpenNebula template, the CPU attribute
/// (and where it came from) and its cgroup counters, or why they could not be read.
/// </summary>
/// <param name="Domain">The live domain XML, with the UUID, name and id libvirt listed.</param>
/// <param name="Template">The VM's <c>vm.xml</c>, when found.</param>
/// <param name="Cpu">The CPU attribute (the promise), or null for a wild VM.</param>
/// <param name="CpuSource"><c>vm.xml</c> or <c>domain-xml-shares</c> (fallback).</param>
/// <param name="Sample">The cgroup counters, or null when they could not be read.</param>
/// <param name="Error">Why they could not be read.</param>
/// <param name="Vanished">The cgroups existed when the read began and were gone before it ended (the domain was stopping).</param>
public sealed record VmObservation(
    DomainDefinition Domain, OneVmTemplate? Template, float? Cpu, string? CpuSource, VmCgroupSample? Sample, string? Error, bool Vanished)
{
    /// <summary>Identity of this run of the domain: UUID and libvirt id (the id changes on every start).</summary>
    public string Key => KeyOf(Domain.Uuid ?? Domain.Name, Domain.Id ?? -1);

    /// <summary>The <see cref="Key"/> of the run <paramref name="id"/> of the domain <paramref name="uuid"/>.</summary>
    public static string KeyOf(string uuid, int id) => uuid + "/" + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Current vCPUs of the domain (1 when the XML gives none).</summary>
    public static int VcpusOf(DomainDefinition domain) => (int)Math.Min(domain.Vcpus?.Current ?? 1, int.MaxValue);
}
