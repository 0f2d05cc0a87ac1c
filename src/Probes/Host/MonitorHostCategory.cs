using System.Globalization;
using OneKvm.Probes.Host.Kernel;
using OneKvm.Probes.OpenNebula;

namespace OneKvm.Probes.Host;

/// <summary>
/// <c>MONITOR_HOST</c> (upstream <c>host/monitor</c>: <c>linux_usage.rb</c> + <c>numa_usage.rb</c>):
/// memory and CPU use, physical NIC byte counters, per-node hugepages and memory. Needs no libvirt.
/// </summary>
public sealed class MonitorHostCategory : Category<MonitorHostSample>
{
    public override string Name => "monitor_host";

    public override string MessageType => "MONITOR_HOST";

    public override async Task<MonitorHostSample> CollectAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        var paths = context.Paths;
        var onlineCpus = KernelHostReader.OnlineCpus(paths, ProcStatParser.Read(paths));
        var cpu = await CpuSampler.SampleAsync(context, onlineCpus, cancellationToken);
        return new MonitorHostSample(
            MemInfoParser.Read(paths),
            onlineCpus * 100,
            cpu,
            [.. NetDevParser.Read(paths).Where(n => PhysicalNic.IsPhysical(n.Name))],
            NumaReader.Read(paths));
    }

    /// <summary>Upstream's order and bare numbers; a missing CPU figure is printed as 0, as upstream does.</summary>
    public override string Render(MonitorHostSample sample, ProbeContext context)
    {
        var w = new TemplateWriter();
        w.Bare("HYPERVISOR", "kvm");
        w.Bare("USEDMEMORY", S(sample.Memory.UsedKib));
        w.Bare("FREEMEMORY", S(sample.Memory.MemTotalKib - sample.Memory.UsedKib));
        w.Bare("FREECPU", sample.Cpu?.Free ?? 0);
        w.Bare("USEDCPU", sample.Cpu?.Used ?? 0);
        w.Bare("NETRX", S(sample.NetRxBytes));
        w.Bare("NETTX", S(sample.NetTxBytes));
        NumaTemplate.WriteUsage(w, sample.Numa);
        return w.ToString();
    }

    private static string S(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
