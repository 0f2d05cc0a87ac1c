using System.Text;
using OneKvm.Probes.Tests.Virsh;
using OneKvm.Probes.Virsh;
using OneKvm.Probes.Vm;

namespace OneKvm.Probes.Tests.Vm;

public sealed class WildVmsSectionTests
{
    [Fact]
    public void ImportTemplate_FromDomainXml_HasUpstreamKeys()
    {
        var xml = DomainXmlParser.Parse(DomainXmlParserTests.OneVmXml) with { Name = "my \"wild\" vm" };
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
