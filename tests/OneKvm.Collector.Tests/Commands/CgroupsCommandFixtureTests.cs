using System.Text.Json;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Commands;

/// <summary>
/// <c>onekvm-probe cgroups</c> end to end over the fixture trees, with libvirt replayed from each
/// tree's recording (<c>libvirt.json</c>): exit status and contract fields (the window is real time
/// here; the golden output of two recorded samples is <see cref="CgroupAuditGoldenTests"/>).
/// </summary>
public sealed class CgroupsCommandFixtureTests
{
    public static TheoryData<string, string[], int> Scenarios => new()
    {
        { "cgroup-v1-hybrid", [], 1 },
        { "cgroup-v2-cpu-on-hybrid", [], 1 },
        { "cgroup-v1-joined-systemd", ["--Host:ReservedMem=1048576", "--Host:ReservedCpu=10%"], 0 },
        { "cgroup-v2-systemd", ["--Host:ReservedCpu=-400", "--Host:ReservedMem=1.5%"], 1 },
        { "cgroup-v1-split-empty-v2", ["--Host:ReservedCpu=50"], 0 },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Table_HasTheAuditColumns(string scenario, string[] extra, int exitCode)
    {
        var (code, stdout, stderr) = await Run(scenario, [.. extra]);
        stderr.ShouldBeEmpty();
        code.ShouldBe(exitCode);
        stdout.ShouldContain("window:    0.");
        stdout.Split('\n').ShouldContain(l => l.StartsWith("DOMAIN", StringComparison.Ordinal) && l.Contains("PROMISED") && l.Contains("ENTITLED"));
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Json_HasTheContractFields(string scenario, string[] extra, int exitCode)
    {
        var (code, stdout, _) = await Run(scenario, ["--format", "json", .. extra]);
        code.ShouldBe(exitCode);
        using var json = JsonDocument.Parse(stdout);
        var host = json.RootElement.GetProperty("host");
        foreach (var key in new[] { "cgroups_version", "max_cpu", "max_mem", "allocated_cpu", "allocated_mem" })
            host.TryGetProperty(key, out _).ShouldBeTrue(key);
        foreach (var vm in json.RootElement.GetProperty("vms").EnumerateArray())
        {
            foreach (var key in new[] { "domain", "vm_id", "cpu", "vcpus", "promised_shares", "applied_shares", "drift", "entitled_cores", "used_cores", "starved", "noisy" })
                vm.TryGetProperty(key, out _).ShouldBeTrue(key);
        }
        // The same tree read twice: every VM is audited, idle, and nobody is flagged.
        foreach (var vm in json.RootElement.GetProperty("vms").EnumerateArray())
        {
            vm.GetProperty("audited").GetBoolean().ShouldBeTrue();
            vm.GetProperty("idle").GetBoolean().ShouldBeTrue();
            vm.GetProperty("starved").GetBoolean().ShouldBeFalse();
            vm.GetProperty("noisy").GetBoolean().ShouldBeFalse();
        }
    }

    [Fact]
    public async Task NoCgroupMounted_ClearErrorAndNothingOnStdout()
    {
        var (code, stdout, stderr) = await Run("cgroup-none");
        code.ShouldBe(3);
        stdout.ShouldBeEmpty();
        stderr.ShouldStartWith("onekvm-probe: cgroups can't be listed: Cgroup is not mounted");
    }

    [Fact]
    public async Task VmOption_NarrowsTheListingButNotTheEntitlement()
    {
        var (_, all, _) = await Run("cgroup-v1-hybrid", "--format", "json");
        var (_, one, _) = await Run("cgroup-v1-hybrid", "--format", "json", "--vm", "one-82");
        using var allJson = JsonDocument.Parse(all);
        using var oneJson = JsonDocument.Parse(one);
        var vms = oneJson.RootElement.GetProperty("vms");
        vms.GetArrayLength().ShouldBe(1);
        var entitled = allJson.RootElement.GetProperty("vms").EnumerateArray()
            .Single(v => v.GetProperty("domain").GetString() == "one-82").GetProperty("entitled_cores").GetDouble();
        vms[0].GetProperty("entitled_cores").GetDouble().ShouldBe(entitled);
    }

    [Fact]
    public async Task VmOption_NamingADomainNotRunning_IsAnErrorNamingIt()
    {
        var (code, stdout, stderr) = await Run("cgroup-v1-hybrid", "--vm", "one-82,nosuch");
        code.ShouldBe(3);
        stdout.ShouldBeEmpty();
        stderr.ShouldBe("onekvm-probe: cgroups: --vm: 'nosuch' is not a running domain\n");
    }

    [Fact]
    public async Task Fix_KernelKeepsTheOldShare_IsReportedWithTheKernelValue()
    {
        // The replayed libvirt accepts the new share but the fixture tree's cpu.shares stays 2048.
        var (code, stdout, _) = await Run("cgroup-v1-hybrid", "--fix", "--vm", "one-82");
        code.ShouldBe(1);
        stdout.ShouldContain("one-82: 2048 -> 2048 (target 1024): FAILED:");
        stdout.ShouldContain("libvirt accepted cpu_shares=1024 but the kernel reads 2048");
    }

    [Fact]
    public async Task UnknownFormat_IsAUsageError() =>
        (await Run("cgroup-v1-hybrid", "--format", "yaml")).Code.ShouldBe(2);

    private static async Task<(int Code, string Stdout, string Stderr)> Run(string scenario, params string[] extra)
    {
        var root = TestPaths.Host(scenario);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await Entry.RunAsync(
            ["cgroups", "--root", root, $"--Libvirt:Replay={Path.Join(root, "libvirt.json")}", "--kvmrc", "/dev/null", "--window", "0.01", .. extra],
            stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
