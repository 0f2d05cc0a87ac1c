using System.Text;
using OneKvm.Libvirt.Domain;
using OneKvm.Probes.Vm;

namespace OneKvm.Probes.Tests.Vm;

public sealed class WildVmsSectionTests
{
    // What the import template reads of a live domain (libvirt 9.0 live XML), trimmed.
    private const string OneVmXml = """
        <domain type='qemu' id='46'>
          <name>one-74</name>
          <uuid>C5F37DDA-A65F-4BE1-9E15-93BF111D69A1</uuid>
          <memory unit='KiB'>98304</memory>
          <vcpu placement='static'>2</vcpu>
          <os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type><boot dev='hd'/></os>
          <features><acpi/><apic/><pae/><hyperv mode='custom'/></features>
          <devices>
            <emulator>/usr/bin/qemu-system-x86_64</emulator>
            <graphics type='vnc' port='5974' autoport='no' listen='0.0.0.0'><listen type='address' address='0.0.0.0'/></graphics>
            <graphics type='spice' port='-1' autoport='yes'/>
          </devices>
        </domain>
        """;

    [Fact]
    public void ImportTemplate_FromDomainXml_HasUpstreamKeys()
    {
        var xml = DomainDefinition.Parse(OneVmXml, "one-74") with { Name = "my \"wild\" vm" };
        WildVmsSection.ImportTemplate(xml).ShouldBe("""
            NAME="my \"wild\" vm"
            CPU=2
            VCPU=2
            MEMORY=96
            HYPERVISOR="kvm"
            DEPLOY_ID="c5f37dda-a65f-4be1-9e15-93bf111d69a1"
            OS=[ARCH="x86_64"]
            FEATURES=[  ACPI="yes",  APIC="yes",  PAE="yes"]
            GRAPHICS = [ TYPE="vnc", PORT="5974" ]
            GRAPHICS = [ TYPE="spice", PORT="-1" ]

            """);
    }

    [Fact]
    public void Render_SkipsFailedDomainsAndEscapesNames()
    {
        var text = WildVmsSection.Render([
            new WildVm("u1", "a\"b", "NAME=\"x\"\n", null),
            new WildVm("u2", "broken", null, "dumpxml failed"),
        ]);
        text.ShouldBe($"VM = [ID=\"-1\", DEPLOY_ID=\"u1\", VM_NAME=\"a\\\"b\", IMPORT_TEMPLATE=\"{Convert.ToBase64String(Encoding.UTF8.GetBytes("NAME=\"x\"\n"))}\"]\n");
    }
}
