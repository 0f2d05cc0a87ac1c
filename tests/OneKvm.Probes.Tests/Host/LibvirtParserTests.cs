using OneKvm.Libvirt.Replay;
using OneKvm.Probes.Host.Libvirt;
using OneKvm.Tests;

namespace OneKvm.Probes.Tests.Host;

public sealed class LibvirtParserTests
{
    private static readonly LibvirtRecording Recorded = ReplayLibvirtClient.Load(Path.Join(TestPaths.Host("debian12-1node"), "libvirt.json"));

    private static string Recording(string name) => name switch
    {
        "capabilities.txt" => Recorded.Capabilities!,
        "domcapabilities.txt" => Recorded.DomainCapabilities!,
        "cpu-baseline.txt" => Recorded.Baseline!,
        _ => throw new ArgumentException(name, nameof(name)),
    };

    [Fact]
    public void Capabilities_Recorded_GivesArchModelAndUniqueMachines()
    {
        var caps = CapabilitiesParser.Parse(Recording("capabilities.txt"));
        caps.HostArch.ShouldBe("x86_64");
        caps.HostCpuModel.ShouldBe("kvm64");
        caps.Machines.ShouldContain("pc-q35-7.2");
        caps.Machines.ShouldContain("q35");
        caps.Machines.ShouldBeUnique();
    }

    [Fact]
    public void Capabilities_KvmDomainWithMachines_WinsOverArchMachines()
    {
        const string xml = """
            <capabilities><host><cpu><arch>x86_64</arch></cpu></host>
              <guest><arch name='x86_64'>
                <machine>pc-1.0</machine>
                <domain type='qemu'/>
                <domain type='kvm'><machine>pc-i440fx-rhel7.4.0</machine><machine canonical='pc-i440fx-rhel7.4.0'>pc</machine></domain>
              </arch></guest>
              <guest><arch name='i686'><machine>pc-1.0</machine><machine>isapc</machine></arch></guest>
              <guest><arch name='ppc64'><machine>pseries</machine></arch></guest>
            </capabilities>
            """;
        var caps = CapabilitiesParser.Parse(xml);
        caps.Machines.ShouldBe(["pc-1.0", "isapc", "pc-i440fx-rhel7.4.0", "pc"]);
        caps.HostCpuModel.ShouldBeNull();
    }

    [Theory]
    [InlineData("not xml")]
    [InlineData("<domainCapabilities/>")]
    [InlineData("<capabilities><host>")]
    public void Capabilities_Malformed_IsFormatError(string xml)
    {
        Should.Throw<FormatException>(() => CapabilitiesParser.Parse(xml));
    }

    [Fact]
    public void DomainCapabilities_Recorded_GivesUsableModelsOnlyAndNoEncryption()
    {
        var domCaps = DomainCapabilitiesParser.Parse(Recording("domcapabilities.txt"));
        domCaps.CpuModels.ShouldBe(["pentium3", "pentium2", "pentium", "486"]);
        domCaps.MemoryEncryption.ShouldBe("NONE");
    }

    [Theory]
    [InlineData("<sev supported='yes'><maxESGuests>0</maxESGuests></sev>", "SEV")]
    [InlineData("<sev supported='yes'><maxESGuests>509</maxESGuests></sev>", "SEV-ES")]
    [InlineData("<sev supported='yes'><maxESGuests>509</maxESGuests><sevsnp supported='yes'/></sev>", "SEV-SNP")]
    [InlineData("<sev supported='yes'><sevsnp supported='no'/></sev>", "SEV")]
    [InlineData("<sev supported='no'/><tdx supported='yes'/>", "TDX")]
    [InlineData("<sev supported='no'/><tdx supported='no'/>", "NONE")]
    [InlineData("", "NONE")]
    public void DomainCapabilities_Features_GiveMemoryEncryption(string features, string expected)
    {
        DomainCapabilitiesParser.Parse($"<domainCapabilities><features>{features}</features></domainCapabilities>")
            .MemoryEncryption.ShouldBe(expected);
    }

    [Fact]
    public void DomainCapabilities_UnsupportedCustomMode_GivesNoModels()
    {
        DomainCapabilitiesParser.Parse("<domainCapabilities><cpu><mode name='custom' supported='no'><model usable='yes'>x</model></mode></cpu></domainCapabilities>")
            .CpuModels.ShouldBeEmpty();
    }

    [Fact]
    public void CpuBaseline_Recorded_GivesRequiredFeatures()
    {
        var features = CpuBaselineParser.ParseFeatures(Recording("cpu-baseline.txt"));
        features.ShouldContain("avx2");
        features.ShouldContain("sse4.2");
        features.ShouldBeUnique();
    }

    [Fact]
    public void CpuBaseline_DisabledFeatures_AreLeftOut()
    {
        CpuBaselineParser.ParseFeatures("<cpu><model>EPYC</model><feature policy='require' name='x2apic'/><feature policy='disable' name='pni'/></cpu>")
            .ShouldBe(["x2apic"]);
    }
}
