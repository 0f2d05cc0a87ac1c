using OneKvm.Probes.Virsh;

using OneKvm.Libvirt.Stats;

namespace OneKvm.Probes.Tests.Virsh;

public sealed class DomStatsParserTests
{
    // Captured: LC_ALL=C virsh -r -c qemu:///system domstats --nowait one-74 (libvirt-and-cgroups.md §2.1).
    internal const string One74 = """
        Domain: 'one-74'
          state.state=1
          state.reason=1
          cpu.time=8353713000
          cpu.user=7137012000
          cpu.system=1216700000
          cpu.cache.monitor.count=0
          cpu.haltpoll.success.time=0
          cpu.haltpoll.fail.time=0
          balloon.current=98304
          balloon.maximum=98304
          balloon.last-update=0
          balloon.rss=52188
          vcpu.current=2
          vcpu.maximum=2
          vcpu.0.state=1
          vcpu.0.time=6010000000
          vcpu.0.wait=0
          vcpu.0.delay=450921464
          vcpu.1.state=1
          vcpu.1.time=0
          vcpu.1.wait=0
          vcpu.1.delay=804812
          net.count=1
          net.0.name=one-74-0
          net.0.rx.bytes=90
          net.0.rx.pkts=1
          net.0.rx.errs=0
          net.0.rx.drop=0
          net.0.tx.bytes=0
          net.0.tx.pkts=0
          net.0.tx.errs=0
          net.0.tx.drop=0
          block.count=2
          block.0.name=vda
          block.0.path=/tmp/lv/disk0.qcow2
          block.0.backingIndex=2
          block.0.rd.reqs=1
          block.0.rd.bytes=512
          block.0.rd.times=115682
          block.0.wr.reqs=0
          block.0.wr.bytes=0
          block.0.wr.times=0
          block.0.fl.reqs=0
          block.0.fl.times=0
          block.0.allocation=0
          block.0.capacity=67108864
          block.0.physical=204800
          block.1.name=sda
          block.1.path=/tmp/lv/disk1.raw
          block.1.backingIndex=1
          block.1.rd.reqs=0
          block.1.rd.bytes=0
          block.1.rd.times=0
          block.1.wr.reqs=0
          block.1.wr.bytes=0
          block.1.wr.times=0
          block.1.fl.reqs=0
          block.1.fl.times=0
          block.1.allocation=0
          block.1.capacity=16777216
          block.1.physical=8192
          dirtyrate.calc_status=0
          dirtyrate.calc_start_time=0
          dirtyrate.calc_period=0
          dirtyrate.calc_mode=page-sampling

        Domain: 'one-73'
          state.state=1
          state.reason=1

        """;

    [Fact]
    public void Parse_CapturedRecord_GivesEveryGroup()
    {
        var all = DomStatsParser.Parse(One74);
        all.Count.ShouldBe(2);
        var d = all[0];
        d.Name.ShouldBe("one-74");
        d.State.ShouldBe(new DomainStateStat(1, 1));
        d.Cpu.ShouldBe(new DomainCpuStat(8353713000, 7137012000, 1216700000));
        d.Balloon!.CurrentKiB.ShouldBe(98304UL);
        d.Balloon.RssKiB.ShouldBe(52188UL);
        d.Balloon.UnusedKiB.ShouldBeNull();
        d.Balloon.LastUpdateEpochSeconds.ShouldBe(0);
        d.Vcpu!.Maximum.ShouldBe(2U);
        d.Vcpu.Vcpus.Count.ShouldBe(2);
        d.Vcpu.Vcpus[0].TimeNs.ShouldBe(6010000000UL);
        d.Vcpu.Vcpus[1].DelayNs.ShouldBe(804812UL);
        var net = d.Nets.ShouldHaveSingleItem();
        net.ShouldBe(new DomainNetStat(0, "one-74-0", 90, 1, 0, 0, 0, 0, 0, 0));
        d.Blocks!.Count.ShouldBe(2);
        d.Blocks[0].ShouldBe(new DomainBlockStat(0, "vda", "/tmp/lv/disk0.qcow2", 2, 1, 512, 115682, 0, 0, 0, 0, 0, 0, 67108864, 204800));
        d.Blocks[1].Name.ShouldBe("sda");
        d.Blocks[1].CapacityBytes.ShouldBe(16777216UL);
    }

    [Fact]
    public void Parse_StateOnlyRecord_LeavesOtherGroupsNull()
    {
        var d = DomStatsParser.Parse(One74)[1];
        d.Name.ShouldBe("one-73");
        d.State.ShouldBe(new DomainStateStat(1, 1));
        d.Cpu.ShouldBeNull();
        d.Balloon.ShouldBeNull();
        d.Vcpu.ShouldBeNull();
        d.Nets.ShouldBeNull();
        d.Blocks.ShouldBeNull();
    }

    [Fact]
    public void Parse_NoDevices_GivesEmptyListsNotNull()
    {
        var d = DomStatsParser.Parse("Domain: 'x'\n  net.count=0\n  block.count=0\n").ShouldHaveSingleItem();
        d.Nets.ShouldBeEmpty();
        d.Blocks.ShouldBeEmpty();
    }

    [Fact]
    public void Parse_SparseVcpusAndOutOfOrderKeys_KeyedByIndex()
    {
        var d = DomStatsParser.Parse("Domain: 'x'\r\n  vcpu.3.time=30\r\n  vcpu.current=2\r\n  vcpu.0.time=10\r\n  net.1.tx.bytes=7\r\n  net.1.name=t1\r\n").Single();
        d.Vcpu!.Vcpus.Select(v => v.Index).ShouldBe([0, 3]);
        d.Vcpu.Vcpus[1].TimeNs.ShouldBe(30UL);
        d.Vcpu.Maximum.ShouldBeNull();
        var n = d.Nets.ShouldHaveSingleItem();
        (n.Index, n.Name, n.TxBytes, n.RxBytes).ShouldBe((1, "t1", 7UL, null));
    }

    [Theory]
    [InlineData("Domain: 'it's'", "it's")]
    [InlineData("Domain: 'a b=c'", "a b=c")]
    [InlineData("Domain: ''", "")]
    public void Parse_OddDomainNames_AreKeptVerbatim(string header, string name) =>
        DomStatsParser.Parse(header + "\n  state.state=3\n").Single().Name.ShouldBe(name);

    [Theory]
    [InlineData("  cpu.time=12x", "cpu.time")]
    [InlineData("  cpu.time=-1", "cpu.time")]
    [InlineData("  net.0.rx.bytes=18446744073709551616", "net.0.rx.bytes")]
    [InlineData("  state.state=", "state.state")]
    [InlineData("  block.99999999999.rd.bytes=1", "bad index")]
    [InlineData("  garbage", "key=value")]
    [InlineData("=1", "key=value")]
    public void Parse_HostileLines_NameSourceAndLine(string line, string mention)
    {
        var e = Should.Throw<FormatException>(() => DomStatsParser.Parse("Domain: 'x'\n  state.state=1\n" + line + "\n", "src"));
        e.Message.ShouldStartWith("src:3:");
        e.Message.ShouldContain(mention);
    }

    [Theory]
    [InlineData("  state.state=1\n")]
    [InlineData("error: failed to get domain 'x'\n")]
    [InlineData("Domain: 'unterminated\n")]
    public void Parse_TextOutsideARecord_IsAnError(string text) =>
        Should.Throw<FormatException>(() => DomStatsParser.Parse(text, "src")).Message.ShouldStartWith("src:1:");

    [Fact]
    public void Parse_UnknownGroupsAndKeys_AreIgnored()
    {
        var d = DomStatsParser.Parse("Domain: 'x'\n  perf.cmt=abc\n  cpu.future.thing=zz\n  block.0.threshold=nan\n  iothread.count=0\n  vm.x.sum=1\n").Single();
        d.Cpu.ShouldBeNull();
        d.Blocks.ShouldHaveSingleItem().ReadBytes.ShouldBeNull();
    }

    [Fact]
    public void Parse_Empty_GivesNoDomains()
    {
        DomStatsParser.Parse("").ShouldBeEmpty();
        DomStatsParser.Parse("\n\n").ShouldBeEmpty();
    }
}
