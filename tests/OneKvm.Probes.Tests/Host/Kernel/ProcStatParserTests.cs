using OneKvm.Cgroups.Proc;
using OneKvm.Probes.Host.Kernel;

namespace OneKvm.Probes.Tests.Host.Kernel;

public sealed class ProcStatParserTests
{
    // A captured file.
    private const string Captured = """
        cpu  12525 0 9554 276669 1910 0 210 58 0 0
        cpu0 5342 0 3883 141107 79 0 43 23 0 0
        cpu1 7183 0 5671 135562 1831 0 167 35 0 0
        intr 1 2 3
        ctxt 1510851
        btime 1795633722
        processes 35980
        procs_running 1
        procs_blocked 0
        """;

    [Fact]
    public void Parse_Captured_GivesAggregateTicksCpusAndBootTime()
    {
        var stat = ProcStatParser.Parse(Captured);
        stat.Aggregate.ShouldBe(new CpuTicks(12525, 0, 9554, 276669, 1910, 0, 210, 58));
        stat.Aggregate.Total.ShouldBe(12525UL + 9554 + 276669 + 1910 + 210 + 58);
        stat.OnlineCpus.ShouldBe(2);
        stat.BootTimeSeconds.ShouldBe(1795633722);
    }

    [Fact]
    public void Parse_GuestTicks_AreNotAddedToTotal()
    {
        var stat = ProcStatParser.Parse("cpu  100 10 50 1000 0 0 0 0 80 5\ncpu0 100 10 50 1000 0 0 0 0 80 5\n");
        stat.Aggregate.Total.ShouldBe(1160UL);
    }

    [Fact]
    public void Parse_OldKernelWithFourFields_ReadsMissingFieldsAsZero()
    {
        ProcStatParser.Parse("cpu  1 2 3 4\n").Aggregate.ShouldBe(new CpuTicks(1, 2, 3, 4, 0, 0, 0, 0));
    }

    [Theory]
    [InlineData("cpu0 1 2 3 4 5\n", "no aggregate 'cpu' line")]
    [InlineData("cpu  1 2 x 4 5\n", "stat:1: field 4 'x'")]
    [InlineData("cpu  1 2\n", "stat:1: cpu line has 2 fields")]
    [InlineData("cpu  -1 2 3 4\n", "stat:1: field 2 '-1'")]
    [InlineData("cpu  1 2 3 4\nbtime soon\n", "stat:2: malformed btime")]
    public void Parse_Malformed_NamesSourceAndLine(string text, string expected)
    {
        Should.Throw<FormatException>(() => ProcStatParser.Parse(text)).Message.ShouldContain(expected);
    }

    [Fact]
    public void Parse_CpuLikeNamesThatAreNotCpus_AreNotCounted()
    {
        ProcStatParser.Parse("cpu  1 2 3 4\ncpufreq 1\ncpu7 1 2 3 4\n").OnlineCpus.ShouldBe(1);
    }
}
