using OneKvm.Probes.Vm;

namespace OneKvm.Probes.Tests.Vm;

public sealed class VmStateTrackerTests
{
    private const string A = "aaaaaaaa-0000-0000-0000-000000000001";
    private const string B = "bbbbbbbb-0000-0000-0000-000000000002";

    private static (StateVmSample Sample, VmStateFile Next) Run(VmStateFile? prev, long now, params ObservedVm[] vms) =>
        VmStateTracker.Advance(prev, vms, now, syncPeriodSeconds: 180, timesMissing: 2, obsoleteMinutes: 720);

    private static ObservedVm Vm(int id, string uuid, string state = "RUNNING") => new(id, uuid, $"one-{id}", state);

    [Fact]
    public void Advance_FirstRun_IsASyncWithEveryVm()
    {
        var (s, next) = Run(null, 1000, Vm(1, A), Vm(2, B, "SUSPENDED"));
        s.Sync.ShouldBeTrue();
        s.Vms.ShouldBe([new VmStateReport(1, A, "RUNNING"), new VmStateReport(2, B, "SUSPENDED")]);
        next.LastSyncUnixSeconds.ShouldBe(1000);
        next.Vms.Count.ShouldBe(2);
    }

    [Fact]
    public void Advance_NothingChangedBeforeSyncPeriod_ReportsNothing()
    {
        var (_, state) = Run(null, 1000, Vm(1, A));
        var (s, _) = Run(state, 1005, Vm(1, A));
        s.Sync.ShouldBeFalse();
        s.Vms.ShouldBeEmpty();
    }

    [Fact]
    public void Advance_StateChangeAndNewVm_AreReportedAlone()
    {
        var (_, state) = Run(null, 1000, Vm(1, A));
        var (s, _) = Run(state, 1005, Vm(1, A, "SUSPENDED"), Vm(2, B));
        s.Sync.ShouldBeFalse();
        s.Vms.ShouldBe([new VmStateReport(1, A, "SUSPENDED"), new VmStateReport(2, B, "RUNNING")]);
    }

    [Fact]
    public void Advance_AfterSyncPeriod_ReportsAllAgain()
    {
        var (_, state) = Run(null, 1000, Vm(1, A));
        Run(state, 1180, Vm(1, A)).Sample.Sync.ShouldBeFalse();
        var (s, next) = Run(state, 1181, Vm(1, A));
        s.Sync.ShouldBeTrue();
        s.Vms.ShouldHaveSingleItem().State.ShouldBe("RUNNING");
        next.LastSyncUnixSeconds.ShouldBe(1181);
    }

    [Fact]
    public void Advance_MissingVm_GetsGraceThenMissingStateOnce()
    {
        var (_, state) = Run(null, 1000, Vm(1, A), Vm(2, B));
        var reports = new List<IReadOnlyList<VmStateReport>>();
        for (var t = 1005; t <= 1020; t += 5)
        {
            var (s, next) = Run(state, t, Vm(2, B));
            reports.Add(s.Vms);
            state = next;
        }
        reports[0].ShouldBeEmpty();  // miss 1
        reports[1].ShouldBeEmpty();  // miss 2
        reports[2].ShouldBe([new VmStateReport(1, A, "POWEROFF")]); // missing >= times_missing
        reports[3].ShouldBeEmpty();  // forgotten
        state.Vms.ShouldHaveSingleItem().Uuid.ShouldBe(B);
    }

    [Fact]
    public void Advance_SyncDuringGrace_RepeatsLastKnownState()
    {
        var (_, state) = Run(null, 1000, Vm(1, A, "SUSPENDED"));
        var (s, _) = Run(state, 1200);
        s.Sync.ShouldBeTrue();
        s.Vms.ShouldBe([new VmStateReport(1, A, "SUSPENDED")]);
    }

    [Fact]
    public void Advance_VmSeenForTheFirstTimeOnASyncRun_IsRunningNeverPoweroff()
    {
        var (_, state) = Run(null, 1000, Vm(1, A));
        var (s, _) = Run(state, 1200, Vm(1, A), Vm(2, B));
        s.Sync.ShouldBeTrue();
        s.Vms.ShouldBe([new VmStateReport(1, A, "RUNNING"), new VmStateReport(2, B, "RUNNING")]);
        s.Vms.ShouldNotContain(v => v.State == "POWEROFF");
    }

    [Fact]
    public void Advance_ObsoleteRows_AreForgottenSilently()
    {
        var (_, state) = Run(null, 1000, Vm(1, A));
        var (s, next) = Run(state, 1000 + 721 * 60);
        s.Vms.ShouldBeEmpty();
        next.Vms.ShouldBeEmpty();
    }

    [Fact]
    public void Advance_ClockWentBackwards_Syncs()
    {
        var (_, state) = Run(null, 5000, Vm(1, A));
        Run(state, 4000, Vm(1, A)).Sample.Sync.ShouldBeTrue();
    }
}
