using OneKvm.Collector.Exporter;
using OneKvm.Libvirt.Replay;
using OneKvm.Probes.Sampling;
using OneKvm.Probes.Vm;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Exporter;

/// <summary>MONITOR_VM and the onekvm_vm_* families report a VM's memory from the same read.</summary>
public sealed class OneSourceTests
{
    [Fact]
    public async Task MonitorVmMemory_EqualsExportedRssPlusSwap_FromOneSnapshot()
    {
        var host = TestPaths.Host("kvm-three-domains");
        await using var libvirt = ReplayLibvirtClient.FromFile(Path.Join(host, "libvirt.json"));
        using var sampler = new DomainSampler(libvirt, TimeProvider.System, Cgroups.HostPaths.UnderRoot(host));

        var snapshot = await sampler.ReadAsync(CancellationToken.None);

        var withMemory = snapshot.Domains.Where(d => d.Memory is not null).ToList();
        withMemory.Count.ShouldBe(3);
        withMemory.ShouldContain(d => d.Memory!.SwapKiB == 128); // the fixture's swap, so the sum is tested
        foreach (var d in withMemory)
        {
            var monitor = MonitorVmCategory.Measure(0, d);
            var exported = VmMetricsMapping.From(d, null);
            ((exported.MemoryRssBytes! + exported.MemoryHostSwapBytes!) / 1024.0).ShouldBe((double)monitor.MemoryKiB!);
        }
        sampler.Reads.ShouldBe(1);
    }
}
