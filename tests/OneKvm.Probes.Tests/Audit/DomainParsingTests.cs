using OneKvm.Cgroups;
using OneKvm.Probes.Audit;
using OneKvm.Probes.OpenNebula;
using OneKvm.Probes.Virsh;

namespace OneKvm.Probes.Tests.Audit;

public sealed class DomainParsingTests
{
    [Fact]
    public void RunningDomainList_Parses()
    {
        var list = RunningDomainList.Parse(" Id   Name               State\n----------------------------------\n 4    one-81             running\n 12   my vm              paused\n 13   x                  in shutdown\n\n");
        list.ShouldBe([(4, "one-81"), (12, "my vm"), (13, "x")]);
    }

    [Fact]
    public void RunningDomainList_Garbage_IsAnError() =>
        Should.Throw<FormatException>(() => RunningDomainList.Parse(" 4 one-81 weird\n")).Message.ShouldContain("virsh list:1");

    [Fact]
    public void LibvirtDomain_ParsesWhatTheAuditNeeds()
    {
        const string xml = """
            <domain type='kvm' id='4'>
              <name>one-81</name>
              <metadata>
                <one:vm xmlns:one="http://opennebula.org/xmlns/libvirt/1.0">
                  <one:system_datastore>/var/lib/one//datastores/0/81</one:system_datastore>
                </one:vm>
              </metadata>
              <memory unit='MiB'>128</memory>
              <currentMemory unit='KiB'>98304</currentMemory>
              <vcpu placement='static' current='2'>4</vcpu>
              <cputune><shares>1024</shares></cputune>
            </domain>
            """;
        LibvirtDomain.Parse(xml, "one-81", 4).ShouldBe(new LibvirtDomain("one-81", 4, 2, 98304, 1024, "/var/lib/one//datastores/0/81", 81));
    }

    [Theory]
    [InlineData("one-42", 42)]
    [InlineData("one-5-test", null)]
    [InlineData("legacy-db", null)]
    [InlineData("one-", null)]
    public void VmIdOf(string name, int? id) => LibvirtDomain.VmIdOf(name).ShouldBe(id);

    [Fact]
    public void LibvirtDomain_Malformed_NamesTheDomain() =>
        Should.Throw<FormatException>(() => LibvirtDomain.Parse("<domain>", "one-1", 1)).Message.ShouldStartWith("domain 'one-1'");

    [Fact]
    public void OneVmTemplate_PathJoinsDatastoreAndVmToTheConfiguredLocation() =>
        OneVmTemplate.PathFor(HostPaths.UnderRoot("/r"), "/var/lib/one//datastores/0/81")
            .ShouldBe("/r/var/lib/one/datastores/0/81/vm.xml");

    [Theory]
    [InlineData("<VM><TEMPLATE><CPU><![CDATA[0.5]]></CPU><MEMORY>64</MEMORY><VCPU>2</VCPU></TEMPLATE></VM>", 0.5f, 2, 64L)]
    [InlineData("<VM><TEMPLATE><MEMORY>64</MEMORY></TEMPLATE></VM>", null, null, 64L)]
    public void OneVmTemplate_Parses(string xml, float? cpu, int? vcpus, long? memory) =>
        OneVmTemplate.Parse(xml, "vm.xml").ShouldBe(new OneVmTemplate(cpu, vcpus, memory, "vm.xml"));

    [Theory]
    [InlineData("<VM><TEMPLATE><CPU>abc</CPU></TEMPLATE></VM>")]
    [InlineData("<VM><TEMPLATE><CPU>-1</CPU></TEMPLATE></VM>")]
    [InlineData("<VM>")]
    [InlineData("<VM/>")]
    public void OneVmTemplate_Bad_NamesTheFile(string xml) =>
        Should.Throw<FormatException>(() => OneVmTemplate.Parse(xml, "/d/0/1/vm.xml")).Message.ShouldStartWith("/d/0/1/vm.xml");
}
