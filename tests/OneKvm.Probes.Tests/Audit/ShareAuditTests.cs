using OneKvm.Cgroups.Layout;
using OneKvm.Probes.Audit;

namespace OneKvm.Probes.Tests.Audit;

/// <summary>Worked cases of <see cref="ShareAudit.Audit"/>: two samples 10 s apart on a 2-CPU host.</summary>
public sealed class ShareAuditTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private const double Window = 10;

    private sealed record Vm(string Name, float? Cpu, long Applied, double Used, double Pressure = 0, int Vcpus = 1, ulong Throttled = 0,
        CgroupVersion Version = CgroupVersion.V1);

    private static ShareAuditResult Audit(IReadOnlyList<Vm> vms, double hostCpus = 2, double? hostBusyCores = null, ShareAuditSettings? settings = null)
    {
        VmShareSample Sample(Vm v, double seconds) => new()
        {
            Key = v.Name,
            Domain = v.Name,
            VmId = v.Name.StartsWith("one-", StringComparison.Ordinal) ? int.Parse(v.Name[4..], System.Globalization.CultureInfo.InvariantCulture) : null,
            Vcpus = v.Vcpus,
            Cpu = v.Cpu,
            SharesVersion = v.Version,
            AppliedShares = v.Applied,
            CpuUsageNanoseconds = 5_000_000_000 + (ulong)(v.Used * seconds * 1e9),
            ThrottledPeriods = seconds == 0 ? 0 : v.Throttled,
            PressureSomeMicroseconds = 7 + (ulong)(v.Pressure * seconds * 1e6),
        };
        var first = new ShareAuditSample { Timestamp = T0, HostCpus = hostCpus, HostBusyNanoseconds = hostBusyCores is null ? null : 1_000_000, Vms = vms.Select(v => Sample(v, 0)).ToList() };
        var second = new ShareAuditSample
        {
            Timestamp = T0.AddSeconds(Window),
            HostCpus = hostCpus,
            HostBusyNanoseconds = hostBusyCores is { } b ? 1_000_000 + (ulong)(b * Window * 1e9) : null,
            Vms = vms.Select(v => Sample(v, Window)).ToList(),
        };
        return ShareAudit.Audit(first, second, settings ?? new ShareAuditSettings());
    }

    private static VmShareVerdict Of(ShareAuditResult r, string name) => r.Vms.Single(v => v.Domain == name);

    [Fact]
    public void DriftedVm_IsNoisy_AndItsVictimsStarved()
    {
        // CPU 0.5 / 1 / 2 spinning on one vCPU each; one-1's share raised by hand to 4 × 512. The kernel
        // gave 0.8 / 0.4 / 0.8 cores; the promise (512 : 1024 : 2048, capped at 1 vCPU) is 1/3, 2/3, 1.
        var r = Audit(
        [
            new("one-1", 0.5f, 2048, 0.8, Pressure: 0.6),
            new("one-2", 1f, 1024, 0.4, Pressure: 0.8),
            new("one-3", 2f, 2048, 0.8, Pressure: 0.3),
        ]);
        Of(r, "one-1").PromisedShares.ShouldBe(512);
        Of(r, "one-1").Drift.ShouldBe(true);
        Of(r, "one-1").EntitledCores.ShouldBe(1 / 3.0, 1e-9);
        Of(r, "one-2").EntitledCores.ShouldBe(2 / 3.0, 1e-9);
        Of(r, "one-3").EntitledCores.ShouldBe(1, 1e-9);
        Of(r, "one-1").Noisy.ShouldBeTrue();
        Of(r, "one-2").Starved.ShouldBeTrue();
        Of(r, "one-3").Starved.ShouldBeTrue();
        r.Transfers.ShouldAllBe(t => t.From == "one-1" && t.ByDrift);
        r.Transfers.Single(t => t.To == "one-2").Cores.ShouldBe(2 / 3.0 - 0.4, 1e-6);
        r.Findings.ShouldBeTrue();
    }

    [Fact]
    public void AppliedShares_DoNotBuyEntitlement()
    {
        var drifted = Audit([new("one-1", 1f, 4096, 1, Pressure: 0.5), new("one-2", 1f, 1024, 1, Pressure: 0.5), new("one-3", 1f, 1024, 1, Pressure: 0.5)], hostCpus: 1.5);
        drifted.Vms.ShouldAllBe(v => Math.Abs(v.EntitledCores - 0.5) < 1e-9);
    }

    [Fact]
    public void FairKernel_FlagsNothing()
    {
        var r = Audit([new("one-1", 0.5f, 512, 1 / 3.0, Pressure: 0.6), new("one-2", 1f, 1024, 2 / 3.0, Pressure: 0.3), new("one-3", 2f, 2048, 1, Pressure: 0.1)]);
        r.Vms.ShouldAllBe(v => !v.Starved && !v.Noisy && v.Drift == false);
        r.Transfers.ShouldBeEmpty();
        r.Findings.ShouldBeFalse();
    }

    [Fact]
    public void VmUnderItsShareButContent_ReleasesItAndIsNotStarved()
    {
        // one-2 uses 0.3 and does not ask for more: one-1 is entitled to the rest, up to its vCPUs.
        var r = Audit([new("one-1", 1f, 1024, 1.7, Vcpus: 2, Pressure: 0.4), new("one-2", 1f, 1024, 0.3, Vcpus: 2)]);
        Of(r, "one-2").Wanted.ShouldBe(DemandSignals.None);
        Of(r, "one-2").EntitledCores.ShouldBe(0.3, 1e-9);
        Of(r, "one-1").EntitledCores.ShouldBe(1.7, 1e-9);
        r.Vms.ShouldAllBe(v => !v.Starved && !v.Noisy);
    }

    [Fact]
    public void NoisyNeedsAVictim()
    {
        // one-1 got more than its share only because the other left it free.
        var r = Audit([new("one-1", 0.5f, 2048, 1.0, Pressure: 0.5), new("one-2", 1f, 1024, 0.01)]);
        Of(r, "one-2").Idle.ShouldBeTrue();
        r.Vms.ShouldAllBe(v => !v.Noisy && !v.Starved);
        Of(r, "one-1").Drift.ShouldBe(true);
    }

    [Fact]
    public void NonVmLoad_IsTakenFromTheCapacity()
    {
        // 2 CPUs all busy, the VMs used 1.4: 0.6 went elsewhere, 1.4 were the VMs'.
        var r = Audit([new("one-1", 1f, 1024, 0.7, Pressure: 0.5), new("one-2", 1f, 1024, 0.7, Pressure: 0.5)], hostBusyCores: 2);
        r.NonVmCores!.Value.ShouldBe(0.6, 1e-6);
        r.CapacityCores.ShouldBe(1.4, 1e-6);
        r.Vms.ShouldAllBe(v => Math.Abs(v.EntitledCores - 0.7) < 1e-6 && !v.Starved);
    }

    [Fact]
    public void Throttled_AndAtCap_CountAsWantingMore()
    {
        var r = Audit([new("one-1", 1f, 1024, 0.2, Throttled: 40), new("one-2", 1f, 1024, 0.95)]);
        Of(r, "one-1").Wanted.ShouldBe(DemandSignals.Throttled);
        Of(r, "one-2").Wanted.ShouldBe(DemandSignals.AtCap);
        Of(r, "one-1").Starved.ShouldBeTrue();
    }

    [Fact]
    public void Tolerances_AreConfigurable()
    {
        Vm[] vms = [new("one-1", 1f, 1024, 0.92, Pressure: 0.5), new("one-2", 1f, 1024, 0.73, Pressure: 0.5)];
        Audit(vms, hostCpus: 1.65).Vms.Any(v => v.Starved).ShouldBeTrue(); // 0.825 each: 0.095 short > 0.05 and > 10 % (0.0825)
        Audit(vms, hostCpus: 1.65, settings: new() { ToleranceCores = 0.1 }).Vms.Any(v => v.Starved).ShouldBeFalse();
        Audit(vms, hostCpus: 1.65, settings: new() { ToleranceRatio = 0.2 }).Vms.Any(v => v.Starved).ShouldBeFalse();
    }

    [Fact]
    public void V2Scale_PromisesOnTheWeightScale()
    {
        var r = Audit([new("one-1", 0.5f, 50, 0.5, Version: CgroupVersion.V2), new("one-2", 1f, 1024, 0.5, Version: CgroupVersion.V2)]);
        Of(r, "one-1").PromisedShares.ShouldBe(50);
        Of(r, "one-1").Drift.ShouldBe(false);
        Of(r, "one-2").PromisedShares.ShouldBe(100);
        Of(r, "one-2").Drift.ShouldBe(true); // 1024 on cpu.weight: a v1 value libvirt wrote unchanged
    }

    [Fact]
    public void WildVm_IsWeightedByItsAppliedShare()
    {
        var r = Audit([new("legacy", null, 3072, 1, Pressure: 0.5), new("one-2", 1f, 1024, 1, Pressure: 0.5)], hostCpus: 1);
        Of(r, "legacy").PromisedShares.ShouldBeNull();
        Of(r, "legacy").Drift.ShouldBeNull();
        Of(r, "legacy").EntitledCores.ShouldBe(0.75, 1e-9);
    }

    [Fact]
    public void VmsInOneSampleOnly_OrReset_AreSkippedWithAReason()
    {
        var a = new VmShareSample { Key = "a", Domain = "one-1", Vcpus = 1, CpuUsageNanoseconds = 100 };
        var gone = new VmShareSample { Key = "g", Domain = "one-2", Vcpus = 1, CpuUsageNanoseconds = 100 };
        var reset = new VmShareSample { Key = "r", Domain = "one-3", Vcpus = 1, CpuUsageNanoseconds = 900 };
        var broken = new VmShareSample { Key = "b", Domain = "one-4", Vcpus = 1, Error = "cgroup directory vanished" };
        var first = new ShareAuditSample { Timestamp = T0, HostCpus = 2, Vms = [a, gone, reset, broken] };
        var second = new ShareAuditSample
        {
            Timestamp = T0.AddSeconds(1),
            HostCpus = 2,
            Vms = [a with { CpuUsageNanoseconds = 500_000_100 }, reset with { CpuUsageNanoseconds = 5 }, broken with { Error = null, CpuUsageNanoseconds = 1 },
                new VmShareSample { Key = "n", Domain = "one-5", Vcpus = 1, CpuUsageNanoseconds = 1 }],
        };
        var r = ShareAudit.Audit(first, second, new ShareAuditSettings());
        r.Vms.ShouldHaveSingleItem().UsedCores.ShouldBe(0.5, 1e-9);
        r.Skipped.ShouldBe(
        [
            "one-3: no CPU usage over the window (counter missing or reset)",
            "one-4: cgroup directory vanished (first sample)",
            "one-5: started during the window (one sample only)",
            "one-2: stopped during the window (one sample only)",
        ]);
    }

    [Fact]
    public void SamplesOutOfOrder_AreRejected()
    {
        var s = new ShareAuditSample { Timestamp = T0, HostCpus = 2, Vms = [] };
        Should.Throw<ArgumentException>(() => ShareAudit.Audit(s, s, new ShareAuditSettings()));
    }
}
