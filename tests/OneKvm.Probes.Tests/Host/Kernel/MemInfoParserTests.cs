using OneKvm.Cgroups.Proc;
using OneKvm.Probes.Host.Kernel;

namespace OneKvm.Probes.Tests.Host.Kernel;

public sealed class MemInfoParserTests
{
    private const string Captured = """
        MemTotal:        8131756 kB
        MemFree:         6402132 kB
        MemAvailable:    7420040 kB
        Buffers:           48852 kB
        Cached:          1061468 kB
        Active(anon):       6524 kB
        HugePages_Total:       0
        Hugepagesize:       2048 kB
        """;

    [Fact]
    public void Parse_Captured_GivesKibAndCounts()
    {
        var values = MemInfoParser.Parse(Captured);
        values["MemTotal"].ShouldBe(8131756UL);
        values["Active(anon)"].ShouldBe(6524UL);
        values["HugePages_Total"].ShouldBe(0UL);
    }

    [Fact]
    public void MemInfo_UsedIsTotalMinusFreeBuffersCached()
    {
        var info = MemInfo.From(MemInfoParser.Parse(Captured), "meminfo");
        info.UsedKib.ShouldBe(8131756UL - 6402132 - 48852 - 1061468);
    }

    [Fact]
    public void Parse_NodeMeminfo_DropsTheNodePrefix()
    {
        var values = MemInfoParser.Parse("Node 0 MemTotal:        5335244 kB\nNode 12 MemUsed:         1082436 kB\nNode 0 HugePages_Free:      0\n");
        values["MemTotal"].ShouldBe(5335244UL);
        values["MemUsed"].ShouldBe(1082436UL);
        values["HugePages_Free"].ShouldBe(0UL);
    }

    [Theory]
    [InlineData("MemTotal 8131756 kB")]
    [InlineData("MemTotal: lots kB")]
    [InlineData("MemTotal: 8131756 MB")]
    [InlineData("MemTotal: -5 kB")]
    [InlineData(": 5 kB")]
    public void Parse_Malformed_NamesSourceAndLine(string line)
    {
        Should.Throw<FormatException>(() => MemInfoParser.Parse("MemFree: 1 kB\n" + line, "/p/meminfo"))
            .Message.ShouldStartWith("/p/meminfo:2:");
    }

    [Fact]
    public void From_MissingKey_NamesIt()
    {
        Should.Throw<FormatException>(() => MemInfo.From(MemInfoParser.Parse("MemTotal: 1 kB\n"), "/p/meminfo"))
            .Message.ShouldBe("/p/meminfo: no MemFree line");
    }
}
