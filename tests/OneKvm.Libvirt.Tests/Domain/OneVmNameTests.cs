using OneKvm.Libvirt.Domain;

namespace OneKvm.Libvirt.Tests.Domain;

public sealed class OneVmNameTests
{
    [Theory]
    [InlineData("one-0", 0)]
    [InlineData("one-42", 42)]
    [InlineData("one-9390", 9390)]
    [InlineData("one-2147483647", 2147483647)]
    public void TryParseId_CanonicalId_IsAnOpenNebulaVm(string name, int id)
    {
        OneVmName.TryParseId(name, out var parsed).ShouldBeTrue();
        parsed.ShouldBe(id);
        OneVmName.Format(id).ShouldBe(name);
    }

    [Theory]
    [InlineData("one-09390")]
    [InlineData("one-00")]
    [InlineData("one-05")]
    [InlineData("one-+5")]
    [InlineData("one--5")]
    [InlineData("one-5 ")]
    [InlineData("one- 5")]
    [InlineData("one-")]
    [InlineData("one-5-test")]
    [InlineData("one-٣")]
    [InlineData("ONE-5")]
    [InlineData("xone-5")]
    [InlineData("one-2147483648")]
    [InlineData("onekvm-test-vm1")]
    [InlineData("")]
    public void TryParseId_AnythingElse_IsWild(string name) => OneVmName.TryParseId(name, out _).ShouldBeFalse();

    [Fact]
    public void Definition_OneVmId_FollowsTheRule()
    {
        DomainDefinition.Parse("<domain><name>one-09390</name></domain>", "t").OneVmId.ShouldBeNull();
        DomainDefinition.Parse("<domain><name>one-9390</name></domain>", "t").OneVmId.ShouldBe(9390);
    }
}
