using OneKvm.Libvirt;
using OneKvm.Libvirt.Domain;
using OneKvm.Probes.Sampling;

namespace OneKvm.Probes.Vm;

/// <summary>The bulk domain read shared by the VM categories, with upstream's failure text.</summary>
public static class VmInventory
{
    /// <summary>Upstream's message when listing fails (#5564); libvirt's error, naming the URI, follows it.</summary>
    public const string ListFailure = "Error retrieving names. Check Libvirtd service is up.";

    /// <summary>
    /// Reads all active domains. When libvirt cannot be reached the category must fail — never
    /// report "no domains", which would turn into POWEROFF for every VM.
    /// </summary>
    /// <exception cref="ProbeException">libvirt failed or missed its deadline; the message names the URI.</exception>
    public static async Task<DomainSnapshot> ReadAsync(ProbeContext context, CancellationToken cancellationToken, DateTimeOffset? notBefore = null)
    {
        try
        {
            return await context.Domains.ReadAsync(cancellationToken, notBefore);
        }
        catch (LibvirtException e)
        {
            throw new ProbeException($"{ListFailure} {e.Message}", e);
        }
    }

    /// <summary>The active OpenNebula domains (<c>one-&lt;ID&gt;</c>) with their VM ids.</summary>
    public static IEnumerable<(int Id, DomainEntry Domain)> OneVms(DomainSnapshot snapshot)
    {
        foreach (var d in snapshot.Domains)
        {
            if (OneVmName.TryParseId(d.Name, out var id) && VmStateMapping.IsActive(d.Stats.State)) yield return (id, d);
        }
    }
}
