using OneKvm.Probes.Host;

namespace OneKvm.Probes.Tests.Host;

public sealed class PhysicalNicTests
{
    [Theory]
    [InlineData("eth0")]
    [InlineData("eth12")]
    [InlineData("ib0")]
    [InlineData("em1")]
    [InlineData("em1_2")]
    [InlineData("p1p1")]
    [InlineData("eno1")]
    [InlineData("eno1np0")]
    [InlineData("ens3")]
    [InlineData("ens3f0")]
    [InlineData("ens3f0np0")]
    [InlineData("enx0123456789ab")]
    [InlineData("enp0s3")]
    [InlineData("enp94s0f0np0")]
    [InlineData("enP2p1s0")]
    [InlineData("enaXi0")]
    public void IsPhysical_NicNames_AreCounted(string name) => PhysicalNic.IsPhysical(name).ShouldBeTrue();

    [Theory]
    [InlineData("lo")]
    [InlineData("eth0.100")] // VLAN on eth0: its bytes are already in eth0 (upstream counted them twice)
    [InlineData("ens3.42")]
    [InlineData("enp0s3.7")]
    [InlineData("br0")]
    [InlineData("virbr0")]
    [InlineData("bond0")]
    [InlineData("one-7-0")]
    [InlineData("vnet0")]
    [InlineData("ifb0")]
    [InlineData("docker0")]
    [InlineData("vxlan-eth0")] // upstream matched "eth0" anywhere in the line
    [InlineData("br-ens3")]
    [InlineData("eth")]
    [InlineData("enx0123")]
    public void IsPhysical_VirtualOrStackedNames_AreNotCounted(string name) => PhysicalNic.IsPhysical(name).ShouldBeFalse();
}
