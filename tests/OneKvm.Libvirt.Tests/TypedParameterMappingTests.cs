using System.Runtime.InteropServices;
using System.Text;
using OneKvm.Libvirt.Native;
using OneKvm.Libvirt.Stats;

namespace OneKvm.Libvirt.Tests;

/// <summary><see cref="DomainStatsMapper"/> over hand-built <c>virTypedParameter</c> arrays, without libvirt.</summary>
public sealed unsafe class TypedParameterMappingTests : IDisposable
{
    private readonly List<nint> _strings = [];

    public void Dispose()
    {
        foreach (var s in _strings) Marshal.FreeCoTaskMem(s);
    }

    [Fact]
    public void Layout_MatchesTheCHeader()
    {
        // gcc on libvirt-common.h: sizeof 96, type at 80, value at 88; virDomainStatsRecord 24 bytes.
        sizeof(VirTypedParameter).ShouldBe(96);
        Marshal.OffsetOf<VirTypedParameter>(nameof(VirTypedParameter.Type)).ToInt32().ShouldBe(80);
        Marshal.OffsetOf<VirTypedParameter>(nameof(VirTypedParameter.UL)).ToInt32().ShouldBe(88);
        sizeof(VirDomainStatsRecord).ShouldBe(24);
    }

    [Fact]
    public void Map_EveryGroup_TypedFields()
    {
        var warnings = new List<string>();
        var s = DomainStatsMapper.Map("one-7", [
            Int("state.state", 1), Int("state.reason", 1),
            ULLong("cpu.time", 123_456_789_012), ULLong("cpu.user", 100), ULLong("cpu.system", 200),
            ULLong("balloon.current", 65536), ULLong("balloon.maximum", 65536), ULLong("balloon.rss", 30000),
            ULLong("balloon.last-update", 1_724_150_000), ULLong("balloon.disk_caches", 5),
            UInt("vcpu.current", 2), UInt("vcpu.maximum", 4),
            Int("vcpu.1.state", 1), ULLong("vcpu.1.time", 50), ULLong("vcpu.1.wait", 7), ULLong("vcpu.1.delay", 3),
            Int("vcpu.0.state", 1), ULLong("vcpu.0.time", 40), Bool("vcpu.0.halted", true),
            UInt("net.count", 1), Str("net.0.name", "one-7-0"), ULLong("net.0.rx.bytes", 10), ULLong("net.0.rx.pkts", 1),
            ULLong("net.0.rx.errs", 0), ULLong("net.0.rx.drop", 0), ULLong("net.0.tx.bytes", 20), ULLong("net.0.tx.pkts", 2),
            ULLong("net.0.tx.errs", 0), ULLong("net.0.tx.drop", 0),
            UInt("block.count", 1), Str("block.0.name", "vda"), Str("block.0.path", "/var/lib/one/datastores/0/7/disk.0"),
            UInt("block.0.backingIndex", 1), ULLong("block.0.rd.reqs", 3), ULLong("block.0.rd.bytes", 4096), ULLong("block.0.rd.times", 9),
            ULLong("block.0.wr.reqs", 1), ULLong("block.0.wr.bytes", 512), ULLong("block.0.wr.times", 8),
            ULLong("block.0.fl.reqs", 1), ULLong("block.0.fl.times", 2),
            ULLong("block.0.allocation", 1000), ULLong("block.0.capacity", 2000), ULLong("block.0.physical", 3000),
            ULLong("perf.cmt", 1), Dbl("dirtyrate.megabytes_per_second", 1.5),
        ], warnings);

        warnings.ShouldBeEmpty();
        s.Name.ShouldBe("one-7");
        s.State.ShouldBe(new DomainStateStat(1, 1));
        s.Cpu.ShouldBe(new DomainCpuStat(123_456_789_012, 100, 200));
        s.Balloon.ShouldBe(new DomainBalloonStat(65536, 65536, 30000, null, null, null, null, null, 1_724_150_000));
        s.Vcpu!.Current.ShouldBe(2u);
        s.Vcpu.Maximum.ShouldBe(4u);
        s.Vcpu.Vcpus.ShouldBe([new VcpuStat(0, 1, 40, null, null), new VcpuStat(1, 1, 50, 7, 3)]);
        s.Nets.ShouldBe([new DomainNetStat(0, "one-7-0", 10, 1, 0, 0, 20, 2, 0, 0)]);
        s.Blocks.ShouldBe([new DomainBlockStat(0, "vda", "/var/lib/one/datastores/0/7/disk.0", 1, 3, 4096, 9, 1, 512, 8, 1, 2, 1000, 2000, 3000)]);
    }

    [Fact]
    public void Text_EveryType()
    {
        TypedParameterValue.Text(Int("cputune.x", -5)).ShouldBe("-5");
        TypedParameterValue.Text(UInt("cputune.x", 7)).ShouldBe("7");
        TypedParameterValue.Text(LLong("cputune.vcpu_quota", -1)).ShouldBe("-1");
        TypedParameterValue.Text(ULLong("cputune.cpu_shares", 18_446_744_073_709_551_615)).ShouldBe("18446744073709551615");
        TypedParameterValue.Text(Dbl("x", 1.5)).ShouldBe("1.5");
        TypedParameterValue.Text(Bool("x", true)).ShouldBe("true");
        TypedParameterValue.Text(Str("cputune.vcpupin0", "0-1,3")).ShouldBe("0-1,3");
        TypedParameterValue.Text(Named("x", VirTypedParameterType.String)).ShouldBeNull();
        TypedParameterValue.Text(Named("x", (VirTypedParameterType)99)).ShouldBeNull();
        TypedParameterValue.Describe(Dbl("x", 1.5)).ShouldBe("1.5 (double)");
        TypedParameterValue.Describe(Bool("x", false)).ShouldBe("false (boolean)");
        TypedParameterValue.Describe(LLong("x", -2)).ShouldBe("-2 (llong)");
    }

    [Fact]
    public void Map_NoKeysOfAGroup_GroupIsNull_CountZeroIsEmpty()
    {
        var warnings = new List<string>();
        var s = DomainStatsMapper.Map("d", [Int("state.state", 3), Int("state.reason", 1), UInt("net.count", 0)], warnings);
        s.State.ShouldBe(new DomainStateStat(3, 1));
        s.Cpu.ShouldBeNull();
        s.Balloon.ShouldBeNull();
        s.Vcpu.ShouldBeNull();
        s.Blocks.ShouldBeNull();
        s.Nets.ShouldNotBeNull().ShouldBeEmpty();
        DomainStatsMapper.Map("d", [], warnings).ShouldBe(new DomainStats("d", null, null, null, null, null, null));
    }

    [Fact]
    public void Map_VcpuMaximumBeyond32Bits_DropsTheFieldWithAWarning()
    {
        var warnings = new List<string>();
        var s = DomainStatsMapper.Map("one-9", [UInt("vcpu.current", 1), ULLong("vcpu.maximum", 1UL << 32), ULLong("vcpu.0.time", 5)], warnings);
        s.Vcpu!.Maximum.ShouldBeNull();
        s.Vcpu.Current.ShouldBe(1u);
        s.Vcpu.Vcpus.Single().TimeNs.ShouldBe(5ul);
        warnings.ShouldBe(["domain one-9: vcpu.maximum=4294967296 (ullong) does not fit a 32-bit unsigned number; field dropped"]);
    }

    [Theory]
    [InlineData("int", "cpu.time=-1 (int) is negative where an unsigned number is expected")]
    [InlineData("llong", "cpu.time=-1 (llong) is negative where an unsigned number is expected")]
    [InlineData("double", "cpu.time=-1 (double) is not an integer")]
    public void Map_NegativeOrFractionalCounter_Dropped(string type, string warning)
    {
        var p = type switch
        {
            "int" => Int("cpu.time", -1),
            "llong" => LLong("cpu.time", -1),
            _ => Dbl("cpu.time", -1),
        };
        var warnings = new List<string>();
        var s = DomainStatsMapper.Map("d", [p, ULLong("cpu.user", 1)], warnings);
        s.Cpu.ShouldBe(new DomainCpuStat(null, 1, null));
        warnings.ShouldBe([$"domain d: {warning}; field dropped"]);
    }

    [Fact]
    public void Map_StringWhereANumberIsExpected_AndNumberWhereAStringIs_Dropped()
    {
        var warnings = new List<string>();
        var s = DomainStatsMapper.Map("d", [Str("balloon.rss", "12"), ULLong("block.0.name", 7), ULLong("block.0.rd.bytes", 9)], warnings);
        s.Balloon!.RssKiB.ShouldBeNull();
        s.Blocks!.Single().ShouldBe(new DomainBlockStat(0, null, null, null, null, 9, null, null, null, null, null, null, null, null, null));
        warnings.ShouldBe([
            "domain d: balloon.rss='12' (string) is not an integer; field dropped",
            "domain d: block.0.name=7 (ullong) is not a string; field dropped",
        ]);
    }

    [Fact]
    public void Map_StateBeyondInt32_AndNegativeBackingIndex_Dropped()
    {
        var warnings = new List<string>();
        var s = DomainStatsMapper.Map("d", [ULLong("state.state", 1UL << 40), Int("block.0.backingIndex", -2)], warnings);
        s.State.ShouldBeNull();
        s.Blocks!.Single().BackingIndex.ShouldBeNull();
        warnings.Count.ShouldBe(2);
        warnings[0].ShouldContain("state.state=1099511627776 (ullong) does not fit a 32-bit signed number");
        warnings[1].ShouldContain("block.0.backingIndex=-2 (int) is negative");
    }

    [Fact]
    public void Map_BadIndexAndDuplicates_WarnedFirstKept()
    {
        var warnings = new List<string>();
        var s = DomainStatsMapper.Map("d", [
            ULLong("vcpu.x.time", 1), ULLong("vcpu.99999999999.time", 1), ULLong("vcpu.-1.time", 1),
            ULLong("vcpu.0.time", 10), ULLong("vcpu.0.time", 20),
        ], warnings);
        s.Vcpu!.Vcpus.ShouldBe([new VcpuStat(0, null, 10, null, null)]);
        warnings.Count.ShouldBe(4);
        warnings[..3].ShouldAllBe(w => w.Contains("has no valid index"));
        warnings[3].ShouldBe("domain d: vcpu.0.time=20 (ullong) is duplicated; the first value is kept; field dropped");
    }

    [Fact]
    public void Map_UnsignedWideValues_KeptWhole()
    {
        var warnings = new List<string>();
        var s = DomainStatsMapper.Map("d", [ULLong("cpu.time", ulong.MaxValue), UInt("vcpu.maximum", uint.MaxValue), Int("cpu.user", int.MaxValue)], warnings);
        warnings.ShouldBeEmpty();
        s.Cpu!.TimeNs.ShouldBe(ulong.MaxValue);
        s.Cpu.UserNs.ShouldBe((ulong)int.MaxValue);
        s.Vcpu!.Maximum.ShouldBe(uint.MaxValue);
    }

    [Fact]
    public void Map_FieldNameOf80BytesWithoutNul_ReadToTheEnd()
    {
        var p = ULLong("x", 1);
        var name = Encoding.ASCII.GetBytes("net.0." + new string('r', 74));
        name.CopyTo((Span<byte>)p.Field);
        VirTypedParameter.NameString(in p).Length.ShouldBe(80);
        var warnings = new List<string>();
        DomainStatsMapper.Map("d", [p], warnings).Nets!.Single().Index.ShouldBe(0);
        warnings.ShouldBeEmpty();
    }

    [Fact]
    public void DecodeVersion_PackedNumber()
    {
        NativeLibvirtClient.DecodeVersion(9_000_000).ShouldBe(new Version(9, 0, 0));
        NativeLibvirtClient.DecodeVersion(10_010_002).ShouldBe(new Version(10, 10, 2));
    }

    private static VirTypedParameter Named(string name, VirTypedParameterType type)
    {
        var p = default(VirTypedParameter);
        Encoding.ASCII.GetBytes(name).CopyTo((Span<byte>)p.Field);
        p.Type = type;
        return p;
    }

    private static VirTypedParameter Int(string name, int v)
    {
        var p = Named(name, VirTypedParameterType.Int);
        p.I = v;
        return p;
    }

    private static VirTypedParameter UInt(string name, uint v)
    {
        var p = Named(name, VirTypedParameterType.UInt);
        p.UI = v;
        return p;
    }

    private static VirTypedParameter LLong(string name, long v)
    {
        var p = Named(name, VirTypedParameterType.LLong);
        p.L = v;
        return p;
    }

    private static VirTypedParameter ULLong(string name, ulong v)
    {
        var p = Named(name, VirTypedParameterType.ULLong);
        p.UL = v;
        return p;
    }

    private static VirTypedParameter Dbl(string name, double v)
    {
        var p = Named(name, VirTypedParameterType.Double);
        p.D = v;
        return p;
    }

    private static VirTypedParameter Bool(string name, bool v)
    {
        var p = Named(name, VirTypedParameterType.Boolean);
        p.B = v ? (byte)1 : (byte)0;
        return p;
    }

    private VirTypedParameter Str(string name, string v)
    {
        var p = Named(name, VirTypedParameterType.String);
        var s = Marshal.StringToCoTaskMemUTF8(v);
        _strings.Add(s);
        p.S = (byte*)s;
        return p;
    }
}
