using OneKvm.Collector.Exporter;
using OneKvm.Collector.Pipeline;
using OneKvm.Libvirt.Domain;
using OneKvm.Libvirt.Replay;
using OneKvm.Probes;
using OneKvm.Probes.Audit;
using OneKvm.Probes.Host;
using OneKvm.Probes.Host.Kernel;
using OneKvm.Probes.Sampling;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Exporter;

/// <summary>The exporter's families as projections of host samples: one tick of a fixture host, and pure pairs of ticks.</summary>
public sealed class HostProjectionTests : IDisposable
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1_724_150_000);

    private readonly string _state = Directory.CreateTempSubdirectory("onekvm-projection-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    private static readonly ExporterSettings Settings = new(new HostReservations("10%", "1048576"), new ShareAuditSettings());

    private ProbeContext Context(string scenario, ReplayLibvirtClient libvirt)
    {
        var paths = Cgroups.HostPaths.UnderRoot(TestPaths.Host(scenario));
        var definitions = new DomainDefinitionCache(libvirt);
        return new ProbeContext
        {
            Paths = paths,
            Libvirt = libvirt,
            Host = HostSampler.Create(libvirt, paths, definitions, TimeProvider.System, TimeSpan.Zero),
            Definitions = definitions,
            Settings = new ProbeSettings { StateDirectory = _state },
        };
    }

    [Fact]
    public async Task Project_FixtureHost_EveryFamilyFromTheOneSampleOfTheTick()
    {
        await using var libvirt = ReplayLibvirtClient.FromFile(Path.Join(TestPaths.Host("cgroup-v1-joined-systemd"), "libvirt.json"));
        var context = Context("cgroup-v1-joined-systemd", libvirt);
        var source = ExporterSources.HostSource(context, TimeSpan.FromSeconds(15));

        var first = await source.CollectAsync(CancellationToken.None);
        var second = await source.CollectAsync(CancellationToken.None);
        var update = HostProjection.Project(first, ProbeSnapshot.Ok(source.Name, T0, second, TimeSpan.FromMilliseconds(3)), Settings);

        update.Statuses.Select(s => (s.Source, s.Error)).ShouldBe([(ExporterSources.VmStats, (string?)null), (ExporterSources.Cgroups, null)]);
        var snapshot = second.Snapshot;
        var domains = snapshot.Domains.Value.ShouldNotBeNull().Domains;
        update.Input.Vms.Select(v => v.Domain).ShouldBe(domains.Select(d => d.Name));
        update.Input.Vms.ShouldAllBe(v => v.OneVmName == null || second.VmNames.Values.Contains(v.OneVmName));

        // The host figures equal those of the cgroup audit over the same two reads (where the exporter took them before).
        var report = CgroupReport.From(first.Snapshot.Cgroups.Value, snapshot.Cgroups.Value.ShouldNotBeNull(), Settings.Audit, Settings.Reservations);
        var host = update.Input.Host.ShouldNotBeNull();
        host.Cpus.ShouldBe(report.Host.TotalCpu / 100.0);
        host.MaxCpus.ShouldBe(report.Host.MaxCpu / 100.0);
        host.AllocatedCpus.ShouldBe(report.Host.AllocatedCpu / 100.0);
        host.MemoryTotalBytes.ShouldBe(report.Host.TotalMemoryKiB * 1024.0);
        host.MaxMemoryBytes.ShouldBe(report.Host.MaxMemoryKiB * 1024.0);
        host.AllocatedMemoryBytes.ShouldBe(report.Host.AllocatedMemoryKiB * 1024.0);
        update.Input.Cgroups.Select(c => (c.Domain, c.AppliedCpuWeight, c.ExpectedCpuWeight))
            .ShouldBe(report.Vms.Select(v => (v.Domain, (double?)v.AppliedShares, (double?)v.PromisedShares)));
        update.Input.Cgroups.ShouldAllBe(c => c.Starved == false); // the same tree read twice: audited, nobody starved
    }

    private static KernelSnapshot Kernel(DateTimeOffset at, ulong busy, ulong idle) => new(at)
    {
        Stat = new ProcStat(new CpuTicks(busy, 0, 0, idle, 0, 0, 0, 0), 4, 1_724_000_000),
        OnlineCpus = 4,
        MemTotalKib = 8_000_000,
        Memory = new MemInfo(8_000_000, 1_000_000, 500_000, 2_500_000),
        NetDevices = [new NetDevice("eth0", 1_000, 2_000), new NetDevice("ens3", 10, 20), new NetDevice("one-5-0", 777, 888), new NetDevice("lo", 5, 5)],
        Numa = [],
    };

    private static HostTick Tick(KernelSnapshot kernel, string? domainsError = null) => new(
        new HostSnapshot(kernel.TakenAt,
            domainsError is null ? SourceReading.Of(new DomainSnapshot([], kernel.TakenAt)) : SourceReading.Failed<DomainSnapshot>(domainsError),
            SourceReading.Of(kernel),
            SourceReading.Failed<CgroupSnapshot>(domainsError ?? "no cgroup mounted"),
            SourceReading.Failed<DatastoreSnapshot>("no datastores")),
        new Dictionary<string, string>(StringComparer.Ordinal));

    [Fact]
    public void Host_TwoKernelSnapshots_MonitorHostFiguresAndCpuOverTheirDelta()
    {
        var before = Kernel(T0, busy: 1_000, idle: 9_000);
        var after = Kernel(T0.AddSeconds(15), busy: 1_450, idle: 10_550); // 450 of 2,000 ticks busy

        var host = HostProjection.Host(before, after, new HostReservations("100", null), cgroups: null);

        host.Cpus.ShouldBe(4);
        host.MaxCpus.ShouldBe(3);
        host.CpuUsageRatio.ShouldBe(0.225); // USEDCPU 90 of TOTALCPU 400, as MONITOR_HOST splits it
        host.MemoryTotalBytes.ShouldBe(8_000_000 * 1024.0);
        host.MemoryUsedBytes.ShouldBe(4_000_000 * 1024.0); // MemTotal − MemFree − Buffers − Cached
        host.MemoryFreeBytes.ShouldBe(4_000_000 * 1024.0);
        host.MaxMemoryBytes.ShouldBe(8_000_000 * 1024.0);
        host.NetworkReceiveBytes.ShouldBe(1_010); // physical NICs only
        host.NetworkTransmitBytes.ShouldBe(2_020);
        host.AllocatedCpus.ShouldBeNull(); // no audit: no allocation
        // MONITOR_HOST's projection of the same kernel snapshot says the same.
        var monitor = MonitorHostCategory.Project(after, CpuUsage.Between(before.Stat!.Aggregate, after.Stat!.Aggregate, 400));
        host.MemoryUsedBytes.ShouldBe(monitor.Memory.UsedKib * 1024.0);
        host.NetworkReceiveBytes.ShouldBe(monitor.NetRxBytes);
        host.NetworkTransmitBytes.ShouldBe(monitor.NetTxBytes);
        host.CpuUsageRatio.ShouldBe((double)monitor.Cpu!.Used / monitor.TotalCpu);
        HostProjection.Host(null, after, new HostReservations(null, null), null).CpuUsageRatio.ShouldBeNull(); // first tick: no delta yet
    }

    [Fact]
    public void Updates_FailedPartsAndTicks_TheirFamiliesGoAndTheirProbesSayWhy()
    {
        var ok = Tick(Kernel(T0, 1_000, 9_000));
        var libvirtDown = Tick(Kernel(T0.AddSeconds(15), 1_450, 10_550), domainsError: "cannot connect to qemu:///system");
        var ticks = new[]
        {
            ProbeSnapshot.Ok(ExporterSources.HostSample, T0, ok, TimeSpan.FromMilliseconds(5)),
            ProbeSnapshot.Ok(ExporterSources.HostSample, T0.AddSeconds(15), libvirtDown, TimeSpan.FromMilliseconds(5)),
            ProbeSnapshot.Failed<HostTick>(ExporterSources.HostSample, T0.AddSeconds(30), "host_sample did not finish within 15 s", TimeSpan.FromSeconds(15)),
        };

        var updates = new List<ExporterUpdate>();
        using (HostProjection.Updates(System.Reactive.Linq.Observable.ToObservable(ticks), Settings).Subscribe(updates.Add)) { }

        updates.Count.ShouldBe(3);
        updates[0].Statuses.Select(s => (s.Source, s.Error)).ShouldBe([(ExporterSources.VmStats, (string?)null), (ExporterSources.Cgroups, "no cgroup mounted")]);
        updates[0].Input.Host.ShouldNotBeNull().CpuUsageRatio.ShouldBeNull();
        updates[1].Statuses.ShouldAllBe(s => s.Error == "cannot connect to qemu:///system" && s.Time == T0.AddSeconds(15));
        updates[1].Input.Vms.ShouldBeEmpty();
        updates[1].Input.Host.ShouldNotBeNull().CpuUsageRatio.ShouldBe(0.225); // the kernel part still counts, against the previous tick
        updates[2].Statuses.ShouldAllBe(s => s.Error == "host_sample did not finish within 15 s");
        updates[2].Input.ShouldBe(ExporterInput.Empty);
    }

    [Fact]
    public void Settings_ExcludedParts_NoStatusNoFamilies()
    {
        var update = HostProjection.Project(null, ProbeSnapshot.Ok(ExporterSources.HostSample, T0, Tick(Kernel(T0, 1, 1)), TimeSpan.Zero),
            Settings with { VmStats = false, Cgroups = false });

        update.Statuses.ShouldBeEmpty();
        update.Input.Vms.ShouldBeEmpty();
        update.Input.Host.ShouldNotBeNull(); // the host families come from the kernel part
    }
}
