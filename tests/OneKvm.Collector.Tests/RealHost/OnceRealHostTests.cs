using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using OneKvm.Collector.Tests.Once;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.RealHost;

/// <summary>
/// <c>--once --category system_host,monitor_host</c> on this machine (its /proc, /sys, libvirtd),
/// each value compared with a reading taken by another tool.
/// </summary>
[Trait(TestTraits.Category, TestTraits.RealHost)]
[Collection(ProcessEnvironmentTests.Name)]
public sealed partial class OnceRealHostTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-realhost-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Once_ThisHost_PrintsTemplateSyntaxWithKernelValues()
    {
        var netBefore = PhysicalNicBytes();
        var (system, monitor, raw) = await RunOnThisHost();
        var netAfter = PhysicalNicBytes();

        foreach (var line in raw.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            TemplateLine().IsMatch(line).ShouldBeTrue($"not OpenNebula template syntax: {line}");

        system["HYPERVISOR"].ShouldBe("kvm");
        system["TOTALMEMORY"].ShouldBe(Sh("awk '/^MemTotal:/ {print $2}' /proc/meminfo"));
        Long(system["TOTALCPU"]).ShouldBe(100 * Long(Sh("getconf _NPROCESSORS_ONLN")));
        system["HOSTNAME"].ShouldBe(Sh("uname -n"));
        system["ARCH"].ShouldBe(Sh("uname -m"));
        var mount = Sh("mount");
        system.GetValueOrDefault("CGROUPS_VERSION").ShouldBe(
            mount.Contains(" type cgroup (", StringComparison.Ordinal) ? "1"
            : mount.Contains(" type cgroup2 (", StringComparison.Ordinal) ? "2" : null);
        var cpuinfoMhz = Sh("awk -F: '/^cpu MHz/ {print $2; exit}' /proc/cpuinfo");
        if (cpuinfoMhz.Length > 0)
            ((double)Long(system["CPUSPEED"])).ShouldBe(double.Parse(cpuinfoMhz, CultureInfo.InvariantCulture), 0.1 * double.Parse(cpuinfoMhz, CultureInfo.InvariantCulture));

        Long(monitor["FREECPU"]).ShouldBeGreaterThanOrEqualTo(0);
        Long(monitor["USEDCPU"]).ShouldBeGreaterThanOrEqualTo(0);
        (Long(monitor["FREECPU"]) + Long(monitor["USEDCPU"])).ShouldBe(Long(system["TOTALCPU"]));
        (Long(monitor["USEDMEMORY"]) + Long(monitor["FREEMEMORY"])).ShouldBe(Long(system["TOTALMEMORY"]));
        Long(monitor["NETRX"]).ShouldBeInRange(netBefore.Rx, netAfter.Rx);
        Long(monitor["NETTX"]).ShouldBeInRange(netBefore.Tx, netAfter.Tx);
    }

    [Fact]
    public async Task Once_ThisHost_ReportsWhatLibvirtLists()
    {
        var (system, _, _) = await RunOnThisHost();
        var caps = Sh("virsh -c qemu:///system capabilities");
        var machines = system["KVM_MACHINES"].Split(' ');
        var x86Block = Regex.Match(caps, "<arch name='x86_64'>(.*?)</arch>", RegexOptions.Singleline).Groups[1].Value;
        var listed = Regex.Matches(x86Block, "<machine[^>]*>([^<]+)</machine>").Select(m => m.Groups[1].Value).ToList();
        listed.ShouldNotBeEmpty();
        foreach (var machine in listed) machines.ShouldContain(machine);
        system["KVM_CPU_MODEL"].ShouldBe(Regex.Match(caps, "<host>.*?<model>([^<]+)</model>", RegexOptions.Singleline).Groups[1].Value);
        system["MEMORY_ENCRYPTION"].ShouldBeOneOf("NONE", "SEV", "SEV-ES", "SEV-SNP", "TDX");
        system["KVM_CPU_FEATURES"].Split(',').ShouldNotBeEmpty();
        system.ShouldContainKey("KVM_CPU_MODELS");
    }

    [Fact]
    public async Task Once_Datastores_MatchDf()
    {
        var ds = Path.Join(_dir, "datastores");
        Directory.CreateDirectory(Path.Join(ds, "0"));
        await File.WriteAllTextAsync(Path.Join(ds, "0", ".monitor"), "ssh\n");
        var (system, _, raw) = await RunOnThisHost("--datastores", ds);
        var df = Sh($"df -B1M -P {ds} | tail -1").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        system["DS_LOCATION_TOTAL_MB"].ShouldBe(df[1]);
        ((double)Long(system["DS_LOCATION_USED_MB"])).ShouldBe(double.Parse(df[2], CultureInfo.InvariantCulture), 64);
        ((double)Long(system["DS_LOCATION_FREE_MB"])).ShouldBe(double.Parse(df[3], CultureInfo.InvariantCulture), 64);
        raw.ShouldContain($"DS = [ ID = \"0\", USED_MB = \"");
    }

    private async Task<(Dictionary<string, string> System, Dictionary<string, string> Monitor, string Raw)> RunOnThisHost(params string[] extra)
    {
        var kvmrc = Path.Join(_dir, "kvmrc");
        await File.WriteAllTextAsync(kvmrc, "");
        var result = await OnceRunner.RunAsync(
            ["--once", "--category", "system_host,monitor_host", "--kvmrc", kvmrc, "--state-dir", _dir, .. extra],
            new Dictionary<string, string?> { ["ONEKVM_VIRSH_HANG"] = null });
        result.Stderr.ShouldBeEmpty();
        result.ExitCode.ShouldBe(0);
        var split = result.Stdout.IndexOf("HYPERVISOR=kvm\n", 1, StringComparison.Ordinal);
        split.ShouldBeGreaterThan(0);
        return (Attributes(result.Stdout[..split]), Attributes(result.Stdout[split..]), result.Stdout);
    }

    private static Dictionary<string, string> Attributes(string text) =>
        text.Split('\n').Select(l => SingleAttribute().Match(l)).Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value);

    private static (long Rx, long Tx) PhysicalNicBytes()
    {
        long rx = 0, tx = 0;
        foreach (var nic in Directory.EnumerateDirectories("/sys/class/net").Where(d => Directory.Exists(Path.Join(d, "device"))))
        {
            rx += Long(File.ReadAllText(Path.Join(nic, "statistics", "rx_bytes")).Trim());
            tx += Long(File.ReadAllText(Path.Join(nic, "statistics", "tx_bytes")).Trim());
        }
        return (rx, tx);
    }

    private static long Long(string value) => long.Parse(value, CultureInfo.InvariantCulture);

    private static string Sh(string command)
    {
        var psi = new ProcessStartInfo("sh") { RedirectStandardOutput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(command);
        psi.Environment["LC_ALL"] = "C";
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        p.ExitCode.ShouldBe(0, command);
        return output.Trim();
    }

    [GeneratedRegex("""^([A-Z0-9_]+)=(?:"((?:[^"\\]|\\")*)"|([^=#\s,\[\]"]+))$""")]
    private static partial Regex SingleAttribute();

    // NAME=value, NAME="value", NAME = [ K = "v", … ], and the wild VMs' vectors in upstream's compact layout (VM = [ID="-1", …]).
    [GeneratedRegex("""^[A-Z0-9_]+(?:=(?:"(?:[^"\\]|\\")*"|[^=#\s,\[\]"]+)| = \[ [A-Z0-9_]+ = "(?:[^"\\]|\\")*"(?:, [A-Z0-9_]+ = "(?:[^"\\]|\\")*")* \]| = \[[A-Z0-9_]+="(?:[^"\\]|\\")*"(?:, [A-Z0-9_]+="(?:[^"\\]|\\")*")*\])$""")]
    private static partial Regex TemplateLine();
}
