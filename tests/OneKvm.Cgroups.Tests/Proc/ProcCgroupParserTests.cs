using OneKvm.Cgroups.Proc;
using OneKvm.Tests;

namespace OneKvm.Cgroups.Tests.Proc;

public sealed class ProcCgroupParserTests
{
    // Captured /proc/12159/cgroup.
    private const string Captured = """
        9:name=systemd:/
        8:pids:/
        7:blkio:/machine/qemu-2-one-74.libvirt-qemu
        4:memory:/machine/qemu-2-one-74.libvirt-qemu
        2:cpuacct:/
        1:cpu:/machine/qemu-2-one-74.libvirt-qemu/emulator
        0::/machine/qemu-2-one-74.libvirt-qemu/emulator
        """;

    [Fact]
    public void Parse_Captured()
    {
        var entries = ProcCgroupParser.Parse(Captured);
        entries.Count.ShouldBe(7);
        entries[0].Controllers.ShouldBe(["name=systemd"]);
        entries[5].ShouldSatisfyAllConditions(
            e => e.HierarchyId.ShouldBe(1),
            e => e.Controllers.ShouldBe(["cpu"]),
            e => e.Path.ShouldBe("/machine/qemu-2-one-74.libvirt-qemu/emulator"));
        entries[6].IsV2.ShouldBeTrue();
    }

    [Theory]
    [InlineData("3:cpu,cpuacct:/machine.slice/machine-qemu\\x2d1\\x2done\\x2d73.scope/emulator", "/machine.slice/machine-qemu\\x2d1\\x2done\\x2d73.scope/emulator")]
    [InlineData("0::/a:b/c", "/a:b/c")]
    [InlineData("0::/", "/")]
    public void Parse_PathKeepsEverythingAfterTheSecondColon(string line, string path) =>
        ProcCgroupParser.Parse(line).ShouldHaveSingleItem().Path.ShouldBe(path);

    [Theory]
    [InlineData("garbage")]
    [InlineData("x:cpu:/")]
    [InlineData("1:cpu")]
    [InlineData("1:cpu:relative")]
    public void Parse_Malformed_NamesSourceAndLine(string line) =>
        Should.Throw<FormatException>(() => ProcCgroupParser.Parse("0::/\n" + line, "/p/1/cgroup")).Message.ShouldStartWith("/p/1/cgroup:2:");

    [Fact]
    public void Read_GoneProcess_IsNull() =>
        ProcCgroupParser.Read(HostPaths.UnderRoot(TestPaths.Host("cgroup-v1-hybrid")), 999999).ShouldBeNull();
}
