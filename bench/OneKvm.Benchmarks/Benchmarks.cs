using BenchmarkDotNet.Attributes;
using OneKvm.Cgroups;
using OneKvm.Cgroups.Layout;
using OneKvm.Cgroups.Shares;
using OneKvm.Cgroups.Vm;
using CgroupSample = OneKvm.Cgroups.Vm.VmCgroupSample;
using OneKvm.Collector.Exporter;
using OneKvm.Collector.Pipeline;
using OneKvm.Probes;
using OneKvm.Probes.Forecast;
using OneKvm.Probes.Audit;
using OneKvm.Probes.Host;
using OneKvm.Probes.Sampling;
using OneKvm.Probes.Vm;
using OneKvm.Scale;

namespace OneKvm.Benchmarks;

/// <summary>
/// Typed domain statistics of N domains to the exporter's and MONITOR_VM's samples. Baseline: one
/// domain snapshot through the sampler (list + stats joined by UUID) from the in-process replay client.
/// </summary>
[MemoryDiagnoser]
public class DomainStatsBenchmarks
{
    private DomainSampler sampler = null!;
    private IReadOnlyList<DomainEntry> entries = [];

    [Params(1000)]
    public int Vms { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        var context = HostFixture.Context(HostFixture.Root(Vms, SyntheticLayout.V1Hybrid));
        sampler = context.Domains;
        entries = (await sampler.ReadAsync(CancellationToken.None)).Domains;
    }

    [Benchmark(Baseline = true, Description = "domain snapshot (replayed list + stats)")]
    public Task<DomainSnapshot> Snapshot() => sampler.ReadAsync(CancellationToken.None, DateTimeOffset.MaxValue);

    [Benchmark(Description = "typed stats -> exporter samples")]
    public List<VmMetricsSample> MapToExporter() => [.. entries.Select(e => VmMetricsMapping.From(e, "vm"))];

    [Benchmark(Description = "typed stats -> MONITOR_VM samples")]
    public List<VmMonitorSample> MapToMonitorVm() => [.. entries.Select(e => MonitorVmCategory.Measure(1, e with { CpuPercent = 1.5, Memory = new QemuMemory(1024, 0) }))];
}

/// <summary>One VM's cgroup files. Baseline: reading the bytes of every file in the VM's cgroup directories (the syscall floor).</summary>
[MemoryDiagnoser]
public class CgroupReadBenchmarks
{
    private HostPaths paths = HostPaths.Default;
    private CgroupLayout layout = null!;
    private VmCgroupPaths vm = null!;
    private string[] files = [];
    private string name = "";

    [Params(SyntheticLayout.V1Hybrid, SyntheticLayout.V2)]
    public SyntheticLayout Layout { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        paths = HostPaths.UnderRoot(HostFixture.Root(10, Layout));
        layout = CgroupLayout.Detect(paths);
        var first = SyntheticHost.Vms(1)[0];
        name = first.Name;
        vm = VmCgroupLocator.Locate(paths, layout, first.Name, first.DomainId) ?? throw new InvalidOperationException("VM cgroup not found");
        files = [.. new[] { vm.Cpu, vm.Cpuacct, vm.Memory, vm.Unified }
            .Where(d => d is not null).Select(d => d!.Path).Distinct().SelectMany(Directory.EnumerateFiles)];
    }

    [Benchmark(Baseline = true, Description = "raw bytes of the VM's cgroup files")]
    public long ReadRawFiles()
    {
        long total = 0;
        foreach (var f in files) total += File.ReadAllBytes(f).Length;
        return total;
    }

    [Benchmark(Description = "VmCgroupReader.Read (parsed sample)")]
    public CgroupSample Read() => VmCgroupReader.Read(vm, TimeProvider.System);

    [Benchmark(Description = "locate (pid file, /proc/PID/cgroup) + read")]
    public CgroupSample LocateAndRead() => VmCgroupReader.Read(VmCgroupLocator.Locate(paths, layout, name, 1)!, TimeProvider.System);
}

/// <summary>
/// The per-tick work of <c>serve</c> over a synthetic host of N domains, libvirt answered in process
/// from the recording (no daemon): what OneKvm itself spends to build one host sample and project it.
/// Baseline: the host sample of one tick (domains, kernel, cgroups, datastores; names from cached XML).
/// </summary>
[MemoryDiagnoser]
public class HostSnapshotBenchmarks
{
    private ProbeContext context = null!;
    private ProbeSource<HostTick> host = null!;
    private HostTick previous = null!;
    private ProbeSnapshot<HostTick> current = null!;
    private readonly ExporterSettings settings = new(new HostReservations(null, null), new ShareAuditSettings());
    private readonly MonitorVmCategory monitorVm = new();
    private readonly MonitorHostCategory monitorHost = new();

    [Params(100, 1000)]
    public int Vms { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        var root = HostFixture.Root(Vms, SyntheticLayout.V1Hybrid);
        context = HostFixture.Context(root);
        host = ExporterSources.HostSource(context, TimeSpan.FromSeconds(15));
        previous = await host.CollectAsync(CancellationToken.None);
        current = ProbeSnapshot.Ok(host.Name, DateTimeOffset.UnixEpoch, await host.CollectAsync(CancellationToken.None), TimeSpan.Zero);
    }

    [Benchmark(Baseline = true, Description = "host sample (one read of every source)")]
    public Task<HostTick> HostSample() => host.CollectAsync(CancellationToken.None);

    [Benchmark(Description = "exporter projection of two ticks (VM, host, cgroup audit)")]
    public ExporterUpdate Projection() => HostProjection.Project(previous, current, settings);

    [Benchmark(Description = "MONITOR_VM collect (stats, /proc scan)")]
    public Task<MonitorVmSample> MonitorVm() => monitorVm.CollectAsync(context, CancellationToken.None);

    [Benchmark(Description = "MONITOR_HOST collect")]
    public Task<MonitorHostSample> MonitorHost() => monitorHost.CollectAsync(context, CancellationToken.None);
}

/// <summary>Snapshot set of N domains -> Prometheus text exposition. Baseline: copying the finished body (the floor of a scrape).</summary>
[MemoryDiagnoser]
public class ExpositionBenchmarks : IDisposable
{
    private ExpositionCache cache = null!;
    private SnapshotSet set = SnapshotSet.Empty;
    private byte[] body = [];

    [Params(1000)]
    public int Vms { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        var context = HostFixture.Context(HostFixture.Root(Vms, SyntheticLayout.V1Hybrid));
        var host = ExporterSources.HostSource(context, TimeSpan.FromSeconds(15));
        var settings = new ExporterSettings(new HostReservations(null, null), new ShareAuditSettings());
        var first = await host.CollectAsync(CancellationToken.None); // the first read has no window; the second is audited
        var tick = ProbeSnapshot.Ok(host.Name, DateTimeOffset.UnixEpoch, await host.CollectAsync(CancellationToken.None), TimeSpan.FromMilliseconds(5));
        set = set.With(HostProjection.Project(first, tick, settings));
        cache = new ExpositionCache(new SnapshotExporter(Prometheus.Metrics.NewCustomRegistry(), true, "bench"));
        await cache.Update(set);
        body = await cache.GetAsync(CancellationToken.None);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing) cache?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "copy the finished body")]
    public byte[] CopyBody() => body.AsSpan().ToArray();

    [Benchmark(Description = "scrape (the latest built body)")]
    public Task<byte[]> Cached() => cache.GetAsync(CancellationToken.None);

    [Benchmark(Description = "build on a new set, off the scrape path (apply + export + gzip)")]
    public Task Rebuild()
    {
        set = set with { Generation = set.Generation + 1 };
        return cache.Update(set);
    }
}

/// <summary>OpenNebula's message formatters for N VMs. Baseline: the decoded MONITOR text of every VM.</summary>
[MemoryDiagnoser]
public class FormatterBenchmarks
{
    private List<VmMonitorSample> samples = [];
    private ProbeContext context = null!;

    [Params(1000)]
    public int Vms { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        context = HostFixture.Context(HostFixture.Root(10, SyntheticLayout.V1Hybrid));
        samples = [.. SyntheticHost.Vms(Vms).Select(vm => MonitorVmCategory.Measure(
            vm.VmId, new DomainEntry(vm.Name, vm.Uuid, vm.DomainId, SyntheticHost.Stats(vm)) { CpuPercent = 12.5 + vm.Index % 7, Memory = new QemuMemory(262144 + vm.Index, 0) }))];
    }

    [Benchmark(Baseline = true, Description = "MONITOR text of each VM (decoded)")]
    public int MonitorText()
    {
        var length = 0;
        foreach (var s in samples) length += MonitorVmCategory.MonitorText(s, false).Length;
        return length;
    }

    [Benchmark(Description = "MONITOR_VM message (Base64 per VM)")]
    public string MonitorVm() => new MonitorVmCategory().Render(new MonitorVmSample(samples, ""), context);
}

/// <summary>The audit's weighted max-min water-filling over N VMs. Baseline: sorting the N cap/weight ratios (its O(n log n) floor).</summary>
[MemoryDiagnoser]
public class FairShareBenchmarks
{
    private FairShareClaim[] claims = [];
    private double[] ratios = [];

    [Params(1000)]
    public int Vms { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        claims = [.. Enumerable.Range(0, Vms).Select(i => new FairShareClaim(Weight: 256 + i % 9 * 128, Cap: 1 + i % 4))];
        ratios = [.. claims.Select(c => c.Cap / c.Weight)];
    }

    [Benchmark(Baseline = true, Description = "sort N cap/weight ratios")]
    public double[] Sort()
    {
        var copy = ratios.AsSpan().ToArray();
        Array.Sort(copy);
        return copy;
    }

    [Benchmark(Description = "FairShare.Allocate")]
    public double[] Allocate() => FairShare.Allocate(Vms / 10.0, claims);
}

/// <summary>
/// The in-process forecast of one VM per cycle (what replaces upstream's Python process per VM):
/// folding one sample into the history and computing every near and far key. Baseline: the VM's
/// decoded MONITOR text without forecast keys.
/// </summary>
[MemoryDiagnoser]
public class ForecastBenchmarks
{
    private readonly MetricHistory history = new();
    private VmMonitorSample sample = null!;
    private DateTimeOffset now = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    [GlobalSetup]
    public void Setup()
    {
        var vm = SyntheticHost.Vms(1).Single();
        sample = MonitorVmCategory.Measure(vm.VmId, new DomainEntry(vm.Name, vm.Uuid, vm.DomainId, SyntheticHost.Stats(vm)) { CpuPercent = 12.5, Memory = new QemuMemory(262144, 0) });
        // two days of 30 s samples: full near and far windows
        for (var i = 0; i < 2 * 24 * 120; i++)
        {
            now = now.AddSeconds(30);
            foreach (var (name, value) in MonitorVmCategory.ForecastValues(sample)) history.Add(name, now, value + i);
        }
    }

    [Benchmark(Baseline = true, Description = "MONITOR text of one VM (no forecast)")]
    public string MonitorText() => MonitorVmCategory.MonitorText(sample, false);

    [Benchmark(Description = "one VM: add a sample + near and far forecast keys")]
    public int Forecast()
    {
        now = now.AddSeconds(30);
        foreach (var (name, value) in MonitorVmCategory.ForecastValues(sample)) history.Add(name, now, value);
        return EntityForecast.Compute(history, ForecastMetric.VirtualMachine, ForecastSettings.Default.VirtualMachine, now).Count;
    }
}
