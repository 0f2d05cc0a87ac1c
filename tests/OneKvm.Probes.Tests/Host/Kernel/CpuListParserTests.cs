using OneKvm.Probes.Host.Kernel;

namespace OneKvm.Probes.Tests.Host.Kernel;

public sealed class CpuListParserTests
{
    [Theory]
    [InlineData("0-1\n", new[] { 0, 1 })]
    [InlineData("0,32", new[] { 0, 32 })]
    [InlineData("0-3,8,10-11", new[] { 0, 1, 2, 3, 8, 10, 11 })]
    [InlineData("5,1-2,2", new[] { 1, 2, 5 })]
    [InlineData("", new int[0])]
    [InlineData("\n", new int[0])]
    public void Parse_Lists_GiveSortedIds(string text, int[] expected)
    {
        CpuListParser.Parse(text).ShouldBe(expected);
    }

    [Theory]
    [InlineData("3-1")]
    [InlineData("a")]
    [InlineData("1-")]
    [InlineData("-1")]
    [InlineData("0-999999999")]
    public void Parse_Malformed_NamesSource(string text)
    {
        Should.Throw<FormatException>(() => CpuListParser.Parse(text, "/s/online")).Message.ShouldStartWith("/s/online:");
    }
}
