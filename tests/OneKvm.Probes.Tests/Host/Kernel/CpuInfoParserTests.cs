using OneKvm.Cgroups.Proc;
using OneKvm.Probes.Host.Kernel;

namespace OneKvm.Probes.Tests.Host.Kernel;

public sealed class CpuInfoParserTests
{
    [Fact]
    public void Parse_X86_TakesFirstModelNameAndMhz()
    {
        var info = CpuInfoParser.Parse("processor\t: 0\nmodel name\t: AMD EPYC\ncpu MHz\t\t: 2596.138\n\nprocessor\t: 1\nmodel name\t: Other\ncpu MHz\t\t: 1200.000\n");
        info.ShouldBe(new CpuInfo("AMD EPYC", 2596.138));
    }

    [Fact]
    public void Parse_Power_FallsBackToCpuLine()
    {
        var info = CpuInfoParser.Parse("processor\t: 0\ncpu\t\t: POWER9 (raw), altivec supported\nclock\t\t: 2166.000000MHz\n");
        info.ModelName.ShouldBe("POWER9 (raw), altivec supported");
        info.FirstCpuMhz.ShouldBeNull();
    }

    [Fact]
    public void Parse_Arm64WithoutModelOrMhz_GivesNulls()
    {
        CpuInfoParser.Parse("processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd\nCPU implementer\t: 0x41\n")
            .ShouldBe(new CpuInfo(null, null));
    }

    [Fact]
    public void Parse_BadMhz_NamesLine()
    {
        Should.Throw<FormatException>(() => CpuInfoParser.Parse("processor : 0\ncpu MHz : 2,596\n", "/p/cpuinfo"))
            .Message.ShouldStartWith("/p/cpuinfo:2:");
    }
}
