using OneKvm.Cgroups;
using OneKvm.Cgroups.Proc;
using OneKvm.Probes.Host.Kernel;

namespace OneKvm.Probes.Tests.Host.Kernel;

public sealed class ProcStatusParserTests
{
    // Shape of /proc/<pid>/status (proc(5)), trimmed; values from a QEMU process.
    private const string Qemu = "Name:\tqemu-system-x86\nUmask:\t0022\nState:\tS (sleeping)\nVmPeak:\t 1795680 kB\nVmRSS:\t   52188 kB\nRssAnon:\t   30000 kB\nVmSwap:\t      12 kB\nThreads:\t6\n";

    [Fact]
    public void Parse_QemuStatus_GivesRssAndSwap() =>
        ProcStatusParser.Parse(Qemu).ShouldBe(new ProcStatus(52188, 12));

    [Fact]
    public void Parse_KernelThread_HasNoMemoryLines() =>
        ProcStatusParser.Parse("Name:\tkthreadd\nState:\tS (sleeping)\n").ShouldBe(new ProcStatus(null, null));

    [Theory]
    [InlineData("VmRSS:\t  12x kB")]
    [InlineData("VmRSS:\t -1 kB")]
    [InlineData("VmSwap:")]
    public void Parse_Malformed_NamesFileAndLine(string line) =>
        Should.Throw<KernelFileException>(() => ProcStatusParser.Parse("Name:\tq\n" + line, "/proc/9/status"))
            .Message.ShouldStartWith("/proc/9/status:2:");

    [Fact]
    public void TryRead_ThisProcess_HasRss()
    {
        ProcStatusParser.TryRead(HostPaths.Default, Environment.ProcessId, out var status).ShouldBeTrue();
        status!.VmRssKiB.ShouldNotBeNull().ShouldBeGreaterThan(0);
    }

    [Fact]
    public void TryRead_VanishedProcess_IsFalse() =>
        ProcStatusParser.TryRead(HostPaths.UnderRoot("/nonexistent"), 1, out _).ShouldBeFalse();
}
