using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using OneKvm.Collector.Exporter;
using OneKvm.Collector.Pipeline;
using OneKvm.Libvirt.Replay;
using OneKvm.Probes.Sampling;
using OneKvm.Probes.Vm;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Exporter;

/// <summary>MONITOR_VM and the onekvm_vm_* families report a VM's CPU and memory from the same read.</summary>
public sealed class OneSourceTests
{
    /// <summary>One domain snapshot of the <c>kvm-three-domains</c> fixture, and how many reads the sampler made.</summary>
    private static async Task<(DomainSnapshot Snapshot, int Reads)> ReadFixtureAsync()
    {
        var host = TestPaths.Host("kvm-three-domains");
        await using var libvirt = ReplayLibvirtClient.FromFile(Path.Join(host, "libvirt.json"));
        using var sampler = new DomainSampler(libvirt, TimeProvider.System, Cgroups.HostPaths.UnderRoot(host));
        var snapshot = await sampler.ReadAsync(CancellationToken.None);
        return (snapshot, sampler.Reads);
    }

    [Fact]
    public async Task MonitorVmMemory_EqualsExportedRssPlusSwap_FromOneSnapshot()
    {
        var (snapshot, reads) = await ReadFixtureAsync();

        var withMemory = snapshot.Domains.Where(d => d.Memory is not null).ToList();
        withMemory.Count.ShouldBe(3);
        withMemory.ShouldContain(d => d.Memory!.SwapKiB == 128); // the fixture's swap, so the sum is tested
        foreach (var d in withMemory)
        {
            var monitor = MonitorVmCategory.Measure(0, d);
            var exported = VmMetricsMapping.From(d, null);
            ((exported.MemoryRssBytes! + exported.MemoryHostSwapBytes!) / 1024.0).ShouldBe((double)monitor.MemoryKiB!);
        }
        reads.ShouldBe(1);
    }

    [Fact]
    public async Task MonitorVmCpu_EqualsExportedUsageRatioTimes100_FromOneSnapshot()
    {
        var (read, _) = await ReadFixtureAsync();
        // A baseline 10 s earlier with a third of each counter: the domains used 2/3 of their cpu.time in those 10 s.
        var now = DomainCpu.Baseline(read);
        var baseline = now with
        {
            TakenAtUnixMs = now.TakenAtUnixMs - 10_000,
            CpuTimeNs = now.CpuTimeNs.ToDictionary(kv => kv.Key, kv => kv.Value / 3, StringComparer.Ordinal),
        };
        var snapshot = DomainCpu.Measure(baseline, read);
        snapshot.Domains.Count(d => d.CpuPercent is > 0).ShouldBeGreaterThanOrEqualTo(2);

        var exporter = new SnapshotExporter(Prometheus.Metrics.NewCustomRegistry(), openNebulaLibvirtMetrics: false, "1");
        var vms = snapshot.Domains.Select(d => VmMetricsMapping.From(d, null)).ToList();
        exporter.Apply(SnapshotSet.Empty.With(new ExporterUpdate(ExporterInput.Empty with { Vms = vms }, [])));
        using var buffer = new MemoryStream();
        await exporter.Registry.CollectAndExportAsTextAsync(buffer);
        var text = Encoding.UTF8.GetString(buffer.ToArray());

        foreach (var d in snapshot.Domains)
        {
            var monitor = MonitorVmCategory.Measure(0, d);
            var line = Regex.Match(text, $@"^onekvm_vm_cpu_usage_ratio\{{domain=""{Regex.Escape(d.Name)}""[^}}]*\}} (\S+)$", RegexOptions.Multiline);
            if (monitor.CpuPercent is not { } cpu)
            {
                line.Success.ShouldBeFalse(d.Name); // not measured: neither reports it
                continue;
            }
            line.Success.ShouldBeTrue(d.Name);
            (double.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture) * 100).ShouldBe(cpu, 1e-9, d.Name);
            MonitorVmCategory.MonitorText(monitor, false).ShouldContain($"CPU=\"{OneKvm.Probes.OpenNebula.TemplateWriter.Number(cpu)}\"");
        }
    }
}
