using System.Text;
using OneKvm.Collector.Exporter;
using OneKvm.Collector.Pipeline;
using OneKvm.Collector.Tests.Support;
using OneKvm.Tests;
using Prometheus;

namespace OneKvm.Collector.Tests.Exporter;

public sealed class SnapshotExporterTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1724150000);

    /// <summary>Two domains as virsh domstats would describe them (synthetic values in base units).</summary>
    internal static VmMetricsSample Vm(int id, double cpuSeconds, bool withDisk = true) =>
        new($"one-{id}", id, $"web-{id}", $"00000000-0000-0000-0000-0000000000{id:00}", 1, 1)
        {
            CpuSeconds = cpuSeconds,
            CpuUserSeconds = cpuSeconds * 0.25,
            CpuSystemSeconds = cpuSeconds * 0.5,
            MemoryBalloonBytes = 67_108_864,
            MemoryMaximumBytes = 67_108_864,
            MemoryRssBytes = 123_453_440,
            VcpusOnline = 1,
            VcpusMaximum = 2,
            Vcpus = [new VcpuCounters(0, 1, cpuSeconds * 0.9, 0.000123, 0.0421)],
            Disks = withDisk ? [new DiskCounters(0, "vda") { ReadRequests = 112, ReadBytes = 2_519_040, ReadTimeSeconds = 0.038275, CapacityBytes = 16_777_216, PhysicalBytes = 200_704, AllocationBytes = 200_704, WriteRequests = 0, WriteBytes = 0, WriteTimeSeconds = 0 }] : [],
            Nics = [new NicCounters(0, $"one-{id}-0") { RxBytes = 0, RxPackets = 0, RxErrors = 0, RxDrops = 0, TxBytes = 1_234, TxPackets = 11, TxErrors = 0, TxDrops = 0 }],
        };

    private static SnapshotSet Set(ExporterInput input, params ProbeStatus[] statuses) =>
        statuses.Aggregate(SnapshotSet.Empty, (set, s) => set.With(s)).With(new ExporterUpdate(input, []));

    private static ExporterInput Vms(params VmMetricsSample[] vms) => ExporterInput.Empty with { Vms = vms };

    private static async Task<string> Expose(SnapshotExporter exporter, SnapshotSet set)
    {
        exporter.Apply(set);
        using var buffer = new MemoryStream();
        await exporter.Registry.CollectAndExportAsTextAsync(buffer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static ExporterUpdate VmUpdate(DateTimeOffset at, params VmMetricsSample[] vms) =>
        new(Vms(vms), [ProbeStatus.Ok(ExporterSources.VmStats, at, TimeSpan.FromMilliseconds(42))]);

    [Fact]
    public async Task Apply_TwoVms_MatchesGoldenExpositionWhichPromtoolAccepts()
    {
        var exporter = new SnapshotExporter(Metrics.NewCustomRegistry(), openNebulaLibvirtMetrics: true, "1.2.3");
        VmMetricsSample[] vms = [Vm(9701, 12.345678912) with { CpuUsageRatio = 0.125 }, Vm(9702, 0.5)];
        var host = new HostMetricsSample { Cpus = 2, MaxCpus = 1.5, MemoryTotalBytes = 4_116_000_768, NetworkReceiveBytes = 1e6 };
        var set = SnapshotSet.Empty
            .With(ProbeStatus.Ok(LibvirtLiveness.SourceName, T0, TimeSpan.FromMilliseconds(12.5)))
            .With(ProbeStatus.Ok("system_host", T0, TimeSpan.FromSeconds(1.25)))
            .With(ProbeStatus.Failed("monitor_host", T0, "boom", TimeSpan.FromSeconds(0.5)))
            .With(VmUpdate(T0, vms) with { Input = new ExporterInput(vms, host, []) });

        var text = await Expose(exporter, set);

        GoldenFile.Check("exporter/two-vms.prom", text);
        var (exitCode, output) = await Promtool.CheckMetricsAsync(text);
        exitCode.ShouldBe(0, output);
        output.ShouldBeEmpty();
        text.ShouldContain("onekvm_vm_cpu_seconds_total{domain=\"one-9701\",one_vm_id=\"9701\"} 12.345678912\n");
        text.ShouldContain("opennebula_libvirt_cpu_seconds_total{domain=\"one-9701\",one_vm_id=\"9701\",one_vm_name=\"web-9701\"} 12.345678912\n");
        text.ShouldContain("onekvm_vm_cpu_usage_ratio{domain=\"one-9701\",one_vm_id=\"9701\"} 0.125\n");
        text.ShouldNotContain("onekvm_vm_cpu_usage_ratio{domain=\"one-9702\""); // not measured: no series
    }

    [Fact]
    public async Task Apply_VmVanishesAndDiskDetached_TheirSeriesAreRemoved()
    {
        var exporter = new SnapshotExporter(Metrics.NewCustomRegistry(), openNebulaLibvirtMetrics: true, "1");
        await Expose(exporter, Set(Vms(Vm(9701, 10), Vm(9702, 20))));

        var text = await Expose(exporter, Set(Vms(Vm(9701, 11, withDisk: false))));

        text.ShouldNotContain("9702");
        text.ShouldNotContain("vda");
        text.ShouldContain("onekvm_vm_cpu_seconds_total{domain=\"one-9701\",one_vm_id=\"9701\"} 11\n");
    }

    [Fact]
    public async Task Apply_CounterWentBackwards_ExposesTheLowerValue()
    {
        var exporter = new SnapshotExporter(Metrics.NewCustomRegistry(), openNebulaLibvirtMetrics: false, "1");
        await Expose(exporter, Set(Vms(Vm(9701, 500))));

        var text = await Expose(exporter, Set(Vms(Vm(9701, 3.5))));

        text.ShouldContain("onekvm_vm_cpu_seconds_total{domain=\"one-9701\",one_vm_id=\"9701\"} 3.5\n");
        text.ShouldNotContain("opennebula_libvirt");
    }

    [Fact]
    public async Task Apply_VmSourceFailsAndLibvirtDown_VmSeriesGoneHealthSaysWhy()
    {
        var exporter = new SnapshotExporter(Metrics.NewCustomRegistry(), openNebulaLibvirtMetrics: true, "1");
        var healthy = SnapshotSet.Empty.With(ProbeStatus.Ok(LibvirtLiveness.SourceName, T0, TimeSpan.Zero)).With(VmUpdate(T0, Vm(9701, 1)));
        await Expose(exporter, healthy);

        var down = healthy
            .With(ProbeStatus.Failed(LibvirtLiveness.SourceName, T0.AddSeconds(15), "failed to connect to the hypervisor", TimeSpan.FromSeconds(0.02)))
            .With(new ExporterUpdate(ExporterInput.Empty, [ProbeStatus.Failed(ExporterSources.VmStats, T0.AddSeconds(15), "failed to connect to the hypervisor", TimeSpan.FromSeconds(0.02))]));
        var text = await Expose(exporter, down);

        text.ShouldContain("onekvm_libvirt_up 0\n");
        text.ShouldContain("opennebula_libvirt_daemon_up 0\n");
        text.ShouldContain("onekvm_probe_success{probe=\"vm_stats\"} 0\n");
        text.ShouldContain("onekvm_probe_last_success_timestamp_seconds{probe=\"vm_stats\"} 1724150000\n");
        text.ShouldNotContain("one-9701");
    }

    [Fact]
    public async Task ExpositionCache_BuildsWhenTheSetArrives_ScrapesOnlyCopyTheLatestBuiltBytes()
    {
        using var cache = new ExpositionCache(new SnapshotExporter(Metrics.NewCustomRegistry(), openNebulaLibvirtMetrics: false, "1"));
        var scrapes = new List<Task<Exposition>>();
        var set = SnapshotSet.Empty;
        Task built = Task.CompletedTask;
        for (var i = 0; i < 50; i++)
        {
            set = set.With(VmUpdate(T0.AddSeconds(i), Vm(9700 + i, i)));
            built = cache.Update(set);
            scrapes.Add(Task.Run(() => cache.GetExpositionAsync(CancellationToken.None)));
        }
        await built;

        // Every scrape got one whole exposition of some set, its gzip the same bytes; after the last build, the last set's.
        foreach (var exposition in await Task.WhenAll(scrapes))
        {
            var plain = Encoding.UTF8.GetString(exposition.Plain);
            plain.ShouldContain("onekvm_build_info{version=\"1\",revision=\"unknown\"} 1\n");
            plain.ShouldEndWith("\n");
            using var gunzip = new System.IO.Compression.GZipStream(new MemoryStream(exposition.Gzip), System.IO.Compression.CompressionMode.Decompress);
            using var unzipped = new MemoryStream();
            await gunzip.CopyToAsync(unzipped);
            unzipped.ToArray().ShouldBe(exposition.Plain);
        }
        var latest = await cache.GetExpositionAsync(CancellationToken.None);
        latest.Generation.ShouldBe(set.Generation);
        cache.Served.ShouldBeSameAs(set); // readiness and the status page read the set /metrics serves
        var text = Encoding.UTF8.GetString(latest.Plain);
        text.ShouldContain("onekvm_vm_cpu_seconds_total{domain=\"one-9749\",one_vm_id=\"9749\"} 49\n");
        text.ShouldNotContain("one-9748");
        (await cache.GetExpositionAsync(CancellationToken.None)).ShouldBeSameAs(latest); // no rebuild on a scrape
    }
}
