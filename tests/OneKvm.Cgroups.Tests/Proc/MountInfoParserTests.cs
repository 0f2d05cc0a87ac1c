using OneKvm.Cgroups.Proc;

namespace OneKvm.Cgroups.Tests.Proc;

public sealed class MountInfoParserTests
{
    // Captured on the hybrid Debian 12 host.
    private const string Hybrid = """
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
        40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """;

    [Fact]
    public void Parse_HybridCapture_GivesMountsAndControllers()
    {
        var mounts = MountInfoParser.Parse(Hybrid);
        mounts.Count.ShouldBe(5);
        mounts[1].MountPoint.ShouldBe("/sys/fs/cgroup/cpu");
        mounts[1].IsCgroupV1.ShouldBeTrue();
        mounts[1].V1Controllers.ShouldBe(["cpu"]);
        mounts[3].V1Controllers.ShouldBe(["name=systemd"]);
        mounts[4].IsCgroupV2.ShouldBeTrue();
        mounts[0].FsType.ShouldBe("tmpfs");
    }

    [Theory]
    [InlineData("36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue", "/mnt2", "ext3")]
    [InlineData("36 35 98:0 / /a\\040b rw shared:1 master:2 - cgroup2 cgroup2 rw,nsdelegate", "/a b", "cgroup2")]
    [InlineData("36 35 98:0 / /x\\134y rw - tmpfs tmpfs", "/x\\y", "tmpfs")]
    public void Parse_OptionalFieldsAndEscapes_AreHandled(string line, string mountPoint, string fsType)
    {
        var mount = MountInfoParser.Parse(line).ShouldHaveSingleItem();
        mount.MountPoint.ShouldBe(mountPoint);
        mount.FsType.ShouldBe(fsType);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("1 2 0:1 / /x rw no-separator here")]
    [InlineData("x 2 0:1 / /x rw - tmpfs tmpfs rw")]
    public void Parse_Malformed_NamesSourceAndLine(string line)
    {
        var e = Should.Throw<FormatException>(() => MountInfoParser.Parse("31 23 0:28 / /a rw - tmpfs tmpfs rw\n" + line, "/p/self/mountinfo"));
        e.Message.ShouldStartWith("/p/self/mountinfo:2:");
    }

    [Fact]
    public void Read_ThisHost_FindsTheCgroupMounts()
    {
        var mounts = MountInfoParser.Read(HostPaths.Default);
        mounts.ShouldContain(m => m.IsCgroupV1 || m.IsCgroupV2);
    }
}
