using System.Text.Json;
using OneKvm.Cgroups;
using OneKvm.Cgroups.Layout;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.RealHost;

/// <summary>
/// <c>onekvm-probe cgroups</c> on the real host: domains started with different <c>&lt;shares&gt;</c>,
/// one set wrong for its CPU attribute; the audit finds it and <c>--fix</c> repairs it, checked in the
/// kernel's own <c>cpu.shares</c> / <c>cpu.weight</c>. Runs in both cgroup CPU modes.
/// </summary>
[Trait(TestTraits.Category, TestTraits.RealHost)]
[Collection(LibvirtGroup.Name)]
public sealed class CgroupsCommandRealHostTests : IDisposable
{
    private readonly string _datastores = Directory.CreateTempSubdirectory("onekvm-cg-ds-").FullName;

    public void Dispose() => Directory.Delete(_datastores, true);

    [Fact]
    public async Task Audit_FindsTheWrongShare_AndFixRepairsIt()
    {
        var v2 = CgroupLayout.Detect(HostPaths.Default).CpuVersion == CgroupVersion.V2;
        WriteVmXml(9420, "0.5");
        WriteVmXml(9421, "1");
        using var right = TestDomain.Start(Spec("one-9420", v2 ? 50 : 512, 1));
        using var wrong = TestDomain.Start(Spec("one-9421", 2048, 2));
        using var wild = TestDomain.Start(new TestDomainSpec { Name = "onekvm-test-cg1", Shares = 300 });
        string[] only = ["--vm", "one-9420,one-9421,onekvm-test-cg1"];

        var (code, audit) = await Run([.. only]);
        code.ShouldBe(1); // drift present
        var vms = Vms(audit);
        vms["one-9420"].GetProperty("drift").GetBoolean().ShouldBeFalse();
        vms["one-9420"].GetProperty("promised_shares").GetInt64().ShouldBe(v2 ? 50 : 512);
        vms["one-9421"].GetProperty("drift").GetBoolean().ShouldBeTrue();
        vms["one-9421"].GetProperty("applied_shares").GetInt64().ShouldBe(2048);
        vms["one-9421"].GetProperty("promised_shares").GetInt64().ShouldBe(v2 ? 100 : 1024);
        vms["one-9421"].GetProperty("vcpus").GetInt32().ShouldBe(2);
        vms["onekvm-test-cg1"].GetProperty("drift").ValueKind.ShouldBe(JsonValueKind.Null);
        vms["onekvm-test-cg1"].GetProperty("applied_shares").GetInt64().ShouldBe(300);
        foreach (var vm in vms.Values)
        {
            vm.GetProperty("used_cores").GetDouble().ShouldBeGreaterThanOrEqualTo(0);
            vm.GetProperty("entitled_cores").GetDouble().ShouldBeGreaterThanOrEqualTo(0);
            vm.GetProperty("found_by").GetString().ShouldBe("pid");
        }
        audit.RootElement.GetProperty("host").GetProperty("cgroups_version").GetInt32().ShouldBe(1); // hybrid host

        var (fixCode, fixedRun) = await Run(["--fix", "--vm", "one-9420,one-9421"]);
        fixCode.ShouldBeOneOf(0, 1); // 1 only for unfairness under the host's other load: no drift is left (below)
        var fix = fixedRun.RootElement.GetProperty("fixes").EnumerateArray().ShouldHaveSingleItem();
        fix.GetProperty("domain").GetString().ShouldBe("one-9421");
        fix.GetProperty("before").GetInt64().ShouldBe(2048);
        fix.GetProperty("after").GetInt64().ShouldBe(v2 ? 100 : 1024);

        var cgroup = Vms(fixedRun)["one-9421"].GetProperty("cgroup").GetString()!;
        File.ReadAllText(Path.Join(cgroup, v2 ? "cpu.weight" : "cpu.shares")).Trim().ShouldBe(v2 ? "100" : "1024");
        var (afterCode, after) = await Run([.. only]);
        afterCode.ShouldBeOneOf(0, 1);
        Vms(after).Values.ShouldAllBe(v => v.GetProperty("drift").ValueKind != JsonValueKind.True);
        Vms(after)["one-9421"].GetProperty("drift").GetBoolean().ShouldBeFalse();
    }

    private static TestDomainSpec Spec(string name, int shares, int vcpus) => new()
    {
        Name = name,
        Shares = shares,
        Vcpus = vcpus,
        OneVmName = "cgroups-test",
        SystemDatastore = $"/var/lib/one//datastores/0/{name[4..]}",
    };

    private void WriteVmXml(int id, string cpu)
    {
        var dir = Directory.CreateDirectory(Path.Join(_datastores, "0", id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        File.WriteAllText(Path.Join(dir.FullName, "vm.xml"),
            $"<VM><ID>{id}</ID><TEMPLATE><CPU><![CDATA[{cpu}]]></CPU><MEMORY>64</MEMORY></TEMPLATE></VM>");
    }

    private async Task<(int Code, JsonDocument Json)> Run(string[] extra)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await Entry.RunAsync(
            ["cgroups", "--format", "json", "--datastores", _datastores, "--uri", TestDomain.Uri, "--window", "0.3", .. extra],
            stdout, stderr);
        stderr.ToString().ShouldBeEmpty();
        return (code, JsonDocument.Parse(stdout.ToString()));
    }

    private static Dictionary<string, JsonElement> Vms(JsonDocument json) =>
        json.RootElement.GetProperty("vms").EnumerateArray().ToDictionary(v => v.GetProperty("domain").GetString()!);
}
