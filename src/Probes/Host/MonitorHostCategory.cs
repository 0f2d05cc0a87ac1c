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
        var sample = new MonitorHostSample(
            MemInfoParser.Read(paths),
            onlineCpus * 100,
            cpu,
            [.. NetDevParser.Read(paths).Where(n => PhysicalNic.IsPhysical(n.Name))],
            NumaReader.Read(paths));
        return context.Forecasts is { } forecasts
            ? sample with { Forecast = forecasts.ObserveHost(ForecastValues(sample), context.Time.GetUtcNow()) }
            : sample;
    }

    /// <summary>The values upstream's forecast keeps for the host, by its names.</summary>
    public static IReadOnlyDictionary<string, double> ForecastValues(MonitorHostSample sample)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["usedmemory"] = sample.Memory.UsedKib,
            ["freememory"] = sample.Memory.MemTotalKib - sample.Memory.UsedKib,
            ["netrx"] = sample.NetRxBytes,
            ["nettx"] = sample.NetTxBytes,
        };
        if (sample.Cpu is { } cpu)
        {
            values["usedcpu"] = cpu.Used;
            values["freecpu"] = cpu.Free;
        }
        return values;
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
        foreach (var (key, value) in sample.Forecast) w.Quoted(key, value);
        return w.ToString();
    }

    private static string S(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
