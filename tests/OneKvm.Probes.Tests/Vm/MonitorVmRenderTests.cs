using System.Text;
using OneKvm.Cgroups;
using OneKvm.Libvirt.Stats;
using OneKvm.Probes.Sampling;
using OneKvm.Probes.Vm;
using static OneKvm.Probes.Tests.Sampling.StatsSamples;

namespace OneKvm.Probes.Tests.Vm;

public sealed class MonitorVmRenderTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1724150000);

    [Fact]
    public void Measure_RunningVm_SumsDevices()
    {
        var vm = MonitorVmCategory.Measure(74, Entry(One74()) with { CpuPercent = 12.5, Memory = new QemuMemory(52000, 188) });
        vm.ShouldBe(new VmMonitorSample(74, "c5f37dda-a65f-4be1-9e15-93bf111d69a1", "one-74", 12.5, 52188, 90, 0, 512, 0, 1, 0));
        MonitorVmCategory.MonitorText(vm, guestAgentMonitoring: false).ShouldBe("""
            CPU="12.5"
            MEMORY="52188"
            NETRX="90"
            NETTX="0"
            DISKRDBYTES="512"
            DISKWRBYTES="0"
            DISKRDIOPS="1"
            DISKWRIOPS="0"
            VM_QEMU_PING="QEMU Guest Agent monitoring disabled"

            """);
    }

    [Theory]
    [InlineData(3, 1)]  // suspended by the user
    [InlineData(3, 2)]  // paused for migration
    [InlineData(3, 11)] // starting up
    public void Measure_PausedVm_OmitsIoKeys(int state, int reason)
    {
        var vm = MonitorVmCategory.Measure(74, Entry(One74(state, reason)) with { Memory = new QemuMemory(100, 0) });
        MonitorVmCategory.MonitorText(vm, false).ShouldBe("MEMORY=\"100\"\nVM_QEMU_PING=\"QEMU Guest Agent monitoring disabled\"\n");
    }

    [Fact]
    public void Measure_ByteSumsBeyondTwoToThe64_AreLeftOutAndNamed()
    {
        var stats = One74() with
        {
            Blocks = [.. One74().Blocks!.Select(b => b with { ReadBytes = ulong.MaxValue - 100 })],
        };
        var vm = MonitorVmCategory.Measure(74, Entry(stats) with { Memory = new QemuMemory(100, 0) });
        var text = MonitorVmCategory.MonitorText(vm, false);
        text.ShouldNotContain("DISKRDBYTES");
        text.ShouldContain("DISKWRBYTES=\"0\"\n");
        new MonitorVmCategory().Missing(new MonitorVmSample([vm], "")).ShouldHaveSingleItem()
            .ShouldBe("VM 74 (c5f37dda-a65f-4be1-9e15-93bf111d69a1): a NIC or disk counter sum exceeds 2^64 - 1 (implausible counter): left out");
    }

    [Fact]
    public void Render_Line_IsUpstreamShapeWithBase64()
    {
        var context = Sampling.ProbeContexts.Replay(HostPaths.Default, new ProbeSettings());
        var vm = new VmMonitorSample(42, "u-1", "one-42", 0, null, null, null, null, null, null, null);
        var line = new MonitorVmCategory().Render(new MonitorVmSample([vm], ""), context);
        line.ShouldBe($"VM = [ ID=\"42\", DEPLOY_ID=\"u-1\", MONITOR=\"{Convert.ToBase64String(Encoding.UTF8.GetBytes("CPU=\"0\"\nVM_QEMU_PING=\"QEMU Guest Agent monitoring disabled\"\n"))}\"]\n");
    }

    [Fact]
    public void DomainCpu_DeltaOverElapsed_InPercentOfOneCpu()
    {
        var now = new DomainSnapshot([Entry(CpuOnly("one-1", 3500000000), "a", 7), Entry(CpuOnly("one-2", 5), "b", 8),
            Entry(CpuOnly("one-3", 100), "c", 9), Entry(new DomainStats("one-4", new DomainStateStat(1, 1), null, null, null, null, null), "d", 10)], T0.AddSeconds(10));
        var prev = new CpuSampleFile(T0.ToUnixTimeMilliseconds(), new() { ["a/7"] = 1000000000, ["b/8"] = 10, ["c/1"] = 1 });
        var measured = DomainCpu.Measure(prev, now);
        var cpu = measured.Domains.ToDictionary(d => d.Uuid, d => d.CpuPercent);
        cpu["a"].ShouldBe(25.0);   // 2.5 s of CPU in 10 s
        cpu["b"].ShouldBeNull();   // counter went backwards: reset
        cpu["c"].ShouldBeNull();   // restarted (new domain id)
        cpu["d"].ShouldBeNull();   // no cpu group
        measured.CpuSince.ShouldBe(T0);
        DomainCpu.Measure(prev with { TakenAtUnixMs = now.TakenAt.ToUnixTimeMilliseconds() }, now).CpuSince.ShouldBeNull();
    }
}
