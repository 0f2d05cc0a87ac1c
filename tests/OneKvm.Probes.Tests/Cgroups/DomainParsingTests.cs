using OneKvm.Cgroups;
using OneKvm.Probes.Cgroups;

namespace OneKvm.Probes.Tests.Cgroups;

public sealed class DomainParsingTests
{
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
