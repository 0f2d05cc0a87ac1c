using System.Globalization;
using System.Text;
using OneKvm.Probes.OpenNebula;
using OneKvm.Libvirt;
using OneKvm.Libvirt.Domain;

namespace OneKvm.Probes.Vm;

/// <summary>A wild VM ready to print, or the reason it was skipped.</summary>
public sealed record WildVm(string DeployId, string Name, string? ImportTemplate, string? Error);

/// <summary>
/// The wild-VM part of <c>SYSTEM_HOST</c>: one
/// <c>VM = [ID="-1", DEPLOY_ID="…", VM_NAME="…", IMPORT_TEMPLATE="&lt;base64&gt;"]</c> per active
/// domain whose name is not exactly <c>one-&lt;ID&gt;</c>. Not a category of its own: SYSTEM_HOST
/// appends <see cref="Render"/>'s text. The domain XML comes from <see cref="DomainDefinitionCache"/>; a
/// domain whose XML cannot be read or parsed is skipped (its error kept in <see cref="WildVm.Error"/>),
/// never failing the others. libvirt unreachable fails like the VM categories.
/// </summary>
public static class WildVmsSection
{
    public static async Task<IReadOnlyList<WildVm>> CollectAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        var snapshot = await VmInventory.ReadAsync(context, cancellationToken);
        context.Definitions.Retain(snapshot.Domains.Select(d => d.Uuid));
        var result = new List<WildVm>();
        foreach (var d in snapshot.Domains)
        {
            if (OneVmName.TryParseId(d.Name, out _) || !VmStateMapping.IsActive(d.Stats.State)) continue;
            try
            {
                var xml = await context.Definitions.GetAsync(d.Uuid, cancellationToken);
                result.Add(new WildVm(d.Uuid, d.Name, ImportTemplate(xml), null));
            }
            catch (Exception e) when (e is LibvirtException { TimedOut: false, Unreachable: false } or FormatException)
            {
                result.Add(new WildVm(d.Uuid, d.Name, null, e.Message));
            }
        }
        return result;
    }

    /// <summary>The SYSTEM_HOST lines (skipped domains print nothing).</summary>
    public static string Render(IEnumerable<WildVm> wilds)
    {
        var text = new StringBuilder();
        foreach (var w in wilds.Where(w => w.ImportTemplate is not null))
        {
            text.Append("VM = [ID=\"-1\", DEPLOY_ID=\"").Append(TemplateWriter.Escape(w.DeployId))
                .Append("\", VM_NAME=\"").Append(TemplateWriter.Escape(w.Name))
                .Append("\", IMPORT_TEMPLATE=\"").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(w.ImportTemplate!)))
                .Append("\"]\n");
        }
        return text.ToString();
    }

    /// <summary>The decoded <c>IMPORT_TEMPLATE</c> built from a live domain XML.</summary>
    public static string ImportTemplate(DomainDefinition xml)
    {
        var vcpu = (xml.Vcpus?.Maximum ?? 1).ToString(CultureInfo.InvariantCulture);
        var t = new StringBuilder();
        t.Append("NAME=\"").Append(TemplateWriter.Escape(xml.Name)).Append("\"\n");
        t.Append("CPU=").Append(vcpu).Append('\n');
        t.Append("VCPU=").Append(vcpu).Append('\n');
        if (xml.MemoryKiB is { } kib) t.Append("MEMORY=").Append((kib / 1024).ToString(CultureInfo.InvariantCulture)).Append('\n');
        t.Append("HYPERVISOR=\"kvm\"\n");
        if (xml.Uuid is { } uuid) t.Append("DEPLOY_ID=\"").Append(TemplateWriter.Escape(uuid)).Append("\"\n");
        if (xml.Os?.Arch is { } arch) t.Append("OS=[ARCH=\"").Append(TemplateWriter.Escape(arch)).Append("\"]\n");
        var features = xml.Features.Where(f => f is "acpi" or "apic" or "pae").Select(f => $"  {f.ToUpperInvariant()}=\"yes\"").ToList();
        if (features.Count > 0) t.Append("FEATURES=[").Append(string.Join(',', features)).Append("]\n");
        foreach (var g in xml.Graphics.Where(g => g.Type is "spice" or "vnc"))
        {
            t.Append("GRAPHICS = [ TYPE=\"").Append(g.Type).Append("\", PORT=\"")
                .Append((g.Port ?? -1).ToString(CultureInfo.InvariantCulture)).Append("\" ]\n");
        }
        return t.ToString();
    }
}
