using OneKvm.Driver.Domain;
using OneKvm.Tests;

namespace OneKvm.Driver.Tests.Domain;

public sealed class DiskElementTests
{
    private static Dictionary<string, string> D(params string[] pairs)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < pairs.Length; i += 2) d[pairs[i]] = pairs[i + 1];
        return d;
    }

    public static TheoryData<string, string[], string[], string> Scenarios => new()
    {
        { "file-virtio-defaults", ["TARGET", "vda", "DRIVER", "qcow2"], [], "pc" },
        { "file-scsi-sdb-kvmrc-defaults", ["TARGET", "sdb"], ["CACHE", "none", "DISCARD", "unmap", "IO", "native"], "pc" },
        { "cdrom-q35", ["TARGET", "hda", "TYPE", "CDROM", "DRIVER", "qcow2"], [], "pc-q35-7.2" },
        { "block-readonly-serial", ["TARGET", "vdc", "TYPE", "BLOCK", "READONLY", "YES", "SERIAL", "abc&<1>", "SHAREABLE", "yes"], [], "pc" },
        { "iotune-total-wins", ["TARGET", "vdd", "TOTAL_BYTES_SEC", "1000", "READ_BYTES_SEC", "5", "TOTAL_BYTES_SEC_MAX", "2000", "TOTAL_BYTES_SEC_MAX_LENGTH", "10"], ["WRITE_IOPS_SEC", "300", "SIZE_IOPS_SEC", "4096"], "pc" },
        { "iotune-max-not-above-base", ["TARGET", "vde", "READ_IOPS_SEC", "500", "READ_IOPS_SEC_MAX", "400", "READ_IOPS_SEC_MAX_LENGTH", "5"], [], "pc" },
        { "hd-ide-pc", ["TARGET", "hdb"], [], "pc-i440fx-7.2" },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Build_Scenario_MatchesGoldenXml(string scenario, string[] disk, string[] defaults, string machine)
    {
        var xml = DiskElement.Build(D(disk), D(defaults), $"/var/lib/one/datastores/0/7/disk.1", machine);
        GoldenFile.Check($"domains/disks/{scenario}.xml", xml.ToString() + "\n");
        System.Xml.Linq.XElement.Parse(xml.ToString()).ToString().ShouldBe(xml.ToString()); // round-trips
    }

    [Theory]
    [InlineData("a", 0)]
    [InlineData("b", 1)]
    [InlineData("z", 25)]
    [InlineData("aa", 26)]
    [InlineData("iv", 255)]
    public void ScsiTarget_Letters_AreBase26(string letters, int expected) => DiskElement.ScsiTarget(letters).ShouldBe(expected);

    [Theory]
    [InlineData("iw")]
    [InlineData("")]
    [InlineData("A")]
    [InlineData("a1")]
    public void ScsiTarget_OutOfRangeOrInvalid_IsNull(string letters) => DiskElement.ScsiTarget(letters).ShouldBeNull();

    [Fact]
    public void Build_NoTarget_FailsLikeUpstream()
    {
        Should.Throw<FormatException>(() => DiskElement.Build(D(), D(), "/x")).Message.ShouldBe("Wrong target value in DISK.");
    }

    [Theory]
    [InlineData("READ_IOPS_SEC", "-1")]
    [InlineData("READ_IOPS_SEC", "4294967296")]
    [InlineData("TOTAL_BYTES_SEC", "1e6")]
    public void Build_BadThrottle_NamesTheAttribute(string name, string value)
    {
        Should.Throw<FormatException>(() => DiskElement.Build(D("TARGET", "vda", name, value), D(), "/x"))
            .Message.ShouldContain($"{name}='{value}'");
    }

    [Fact]
    public void Build_NetworkDisk_IsRefusedClearly()
    {
        Should.Throw<NotSupportedException>(() => DiskElement.Build(D("TARGET", "vda", "TYPE", "RBD"), D(), "/x"))
            .Message.ShouldContain("RBD");
    }
}
