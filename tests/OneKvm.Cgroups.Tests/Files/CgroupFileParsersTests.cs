using OneKvm.Cgroups.Files;

namespace OneKvm.Cgroups.Tests.Files;

public sealed class CgroupFileParsersTests
{
    [Fact]
    public void FlatKeyed_Captured()
    {
        var v = CgroupFileParsers.ParseFlatKeyed("usage_usec 8280959\nuser_usec 7073422\nsystem_usec 1207536\nnice_usec 0\n", "cpu.stat");
        v["usage_usec"].ShouldBe(8280959);
        v.Count.ShouldBe(4);
    }

    [Theory]
    [InlineData("usage_usec\n")]
    [InlineData("usage_usec x\n")]
    [InlineData("a 1 2\n")]
    public void FlatKeyed_Malformed(string text) =>
        Should.Throw<FormatException>(() => CgroupFileParsers.ParseFlatKeyed("ok 1\n" + text, "/c/cpu.stat")).Message.ShouldStartWith("/c/cpu.stat:2:");

    [Fact]
    public void Pressure_Captured()
    {
        var p = CgroupFileParsers.ParsePressure(
            "some avg10=2.11 avg60=0.00 avg300=0.00 total=985591\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=570824\n", "cpu.pressure");
        p.ShouldBe(new PressureSample(985591, 570824, 2.11));
    }

    [Fact]
    public void Pressure_WithoutFull() =>
        CgroupFileParsers.ParsePressure("some avg10=0.00 avg60=0.00 avg300=0.00 total=7\n", "p").FullTotalMicroseconds.ShouldBeNull();

    [Fact]
    public void IoStat_SumsDevicesAndAcceptsBareLines()
    {
        var (r, w) = CgroupFileParsers.ParseIoStat(
            "253:0 \n254:0 rbytes=3749266432 wbytes=2716442624 rios=211274 wios=98618 dbytes=493985792 dios=13322\n8:16 rbytes=1 wbytes=2 cost.usage=5\n7:0 \n", "io.stat");
        r.ShouldBe(3749266433);
        w.ShouldBe(2716442626);
    }

    [Fact]
    public void Blkio_SumsReadAndWrite()
    {
        var (r, w) = CgroupFileParsers.ParseBlkioServiceBytes(
            "8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:0 Async 12288\n8:0 Discard 0\n8:0 Total 12288\n8:16 Read 1\n8:16 Write 0\nTotal 12289\n", "b");
        (r, w).ShouldBe((4097L, 8192L));
        CgroupFileParsers.ParseBlkioServiceBytes("Total 0\n", "b").ShouldBe((0L, 0L));
    }

    [Theory]
    [InlineData("max\n", null)]
    [InlineData("1073741824\n", 1073741824L)]
    public void MaxOrInteger(string text, long? value) => CgroupFileParsers.ParseMaxOrInteger(text, "memory.max").ShouldBe(value);

    [Theory]
    [InlineData("9223372036854771712\n", null)]
    [InlineData("1073741824\n", 1073741824L)]
    public void V1Limit_UnlimitedIsNull(string text, long? value) => CgroupFileParsers.ParseV1MemoryLimit(text, "l").ShouldBe(value);
}
