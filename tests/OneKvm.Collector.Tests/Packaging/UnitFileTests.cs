using System.Globalization;
using System.Text.RegularExpressions;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Packaging;

/// <summary>The systemd units as shipped: notify, libvirt ordering, no placeholders, hardening measured by systemd-analyze.</summary>
public sealed partial class UnitFileTests
{
    public static TheoryData<string> Units => new() { "onekvm-serve.service", "onekvm-agent.service" };

    private static string PathOf(string unit) => Path.Join(TestPaths.RepoRoot, "packaging", "systemd", unit);

    [Theory]
    [MemberData(nameof(Units))]
    public void Unit_IsNotify_AfterBothLibvirtFlavours_WithoutPlaceholdersOrPrivateTmp(string unit)
    {
        var text = File.ReadAllText(PathOf(unit));
        var directives = text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        directives.ShouldContain("Type=notify");
        directives.Single(l => l.StartsWith("After=", StringComparison.Ordinal)).Split('=')[1].Split(' ')
            .ShouldBeSubsetOf(["network-online.target", "libvirtd.service", "virtqemud.socket", "virtqemud.service", "onekvm-serve.service"]);
        directives.ShouldContain(l => l.StartsWith("After=", StringComparison.Ordinal) && l.Contains("libvirtd.service", StringComparison.Ordinal) && l.Contains("virtqemud.socket", StringComparison.Ordinal));
        directives.ShouldContain("PrivateTmp=no"); // kvmrc is in /var/tmp/one
        directives.ShouldContain(l => l.StartsWith("ExecStart=/usr/local/bin/onekvm-probe ", StringComparison.Ordinal));
        directives.ShouldContain("CapabilityBoundingSet=");
        text.ShouldNotContain("192.0.2."); // documentation addresses are placeholders
        directives.ShouldNotContain(l => l.Contains("SSH_CLIENT", StringComparison.Ordinal)); // the front-end is the admin's to give (EnvironmentFile)
    }

    [Theory]
    [MemberData(nameof(Units))]
    public async Task Unit_HardeningExposure_IsBelowThree(string unit)
    {
        var (code, output) = await ReleaseArtefact.RunAsync("systemd-analyze", ["security", "--offline=yes", PathOf(unit)], TimeSpan.FromMinutes(1));
        var exposure = Exposure().Match(output);
        exposure.Success.ShouldBeTrue(output);
        double.Parse(exposure.Groups[1].Value, CultureInfo.InvariantCulture).ShouldBeLessThan(3.0, output);
        code.ShouldBe(0, output);
    }

    [GeneratedRegex(@"Overall exposure level for \S+: ([0-9.]+)")]
    private static partial Regex Exposure();
}
