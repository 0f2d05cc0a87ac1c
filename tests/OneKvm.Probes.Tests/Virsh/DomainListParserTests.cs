using OneKvm.Probes.Virsh;

namespace OneKvm.Probes.Tests.Virsh;

public sealed class DomainListParserTests
{
    [Fact]
    public void Parse_ListWithIdsAndSpacedNames_GivesEntries()
    {
        var list = DomainListParser.Parse("""
            6695EB01-F6A4-8304-79AA-97F2502E193F 1 test

            c5f37dda-a65f-4be1-9e15-93bf111d69a1 - my vm name
            """);
        list.Count.ShouldBe(2);
        list[0].ShouldBe(new DomainListEntry("6695eb01-f6a4-8304-79aa-97f2502e193f", 1, "test"));
        list[1].ShouldBe(new DomainListEntry("c5f37dda-a65f-4be1-9e15-93bf111d69a1", null, "my vm name"));
    }

    [Theory]
    [InlineData("not-a-uuid 1 x")]
    [InlineData("6695eb01-f6a4-8304-79aa-97f2502e193f x1 x")]
    [InlineData("6695eb01-f6a4-8304-79aa-97f2502e193f 1")]
    [InlineData("6695eb01-f6a4-8304-79aa-97f2502e193f 1 ")]
    public void Parse_Malformed_NamesLine(string line) =>
        Should.Throw<FormatException>(() => DomainListParser.Parse("\n" + line, "L")).Message.ShouldStartWith("L:2:");

    [Fact]
    public void Split_CombinedOutput_SeparatesListFromStats()
    {
        var (list, stats) = DomainSnapshotReader.Split("u 1 a\n\nDomain: 'a'\n  state.state=1\n");
        list.ShouldBe("u 1 a\n");
        stats.ShouldBe("\nDomain: 'a'\n  state.state=1\n");
        DomainSnapshotReader.Split("\n").ShouldBe(("\n", ""));
    }
}
