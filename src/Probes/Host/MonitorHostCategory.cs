using System.Globalization;
using OneKvm.Probes.OpenNebula;
using OneKvm.Probes.Sampling;

namespace OneKvm.Probes.Host;

/// <summary>
/// <c>MONITOR_HOST</c> (upstream <c>host/monitor</c>: <c>linux_usage.rb</c> + <c>numa_usage.rb</c>):
/// memory and CPU use, physical NIC byte counters, per-node hugepages and memory. Needs no libvirt.
/// A projection of the process's <see cref="KernelSnapshot"/>: no kernel file is read here.
/// </summary>
public sealed class MonitorHostCategory : Category<MonitorHostSample>
{
    public override string Name => "monitor_host";

    public override string MessageType => "MONITOR_HOST";

    /// <summary>
    /// Reads the tick's kernel snapshot (shared with the other consumers), the CPU baseline of the
    /// state file (<see cref="CpuSampler"/>) and projects them (<see cref="Project"/>).
    /// </summary>
    /// <exception cref="ProbeException">a part of the snapshot MONITOR_HOST needs could not be read (names the file).</exception>
    public override async Task<MonitorHostSample> CollectAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        var kernel = await context.Host.Kernel.ReadAsync(cancellationToken);
        var (cpu, end) = await CpuSampler.SampleAsync(context, kernel, cancellationToken);
        var sample = Project(end, cpu);
        return context.Forecasts is { } forecasts
            ? sample with { Forecast = forecasts.ObserveHost(ForecastValues(sample), context.Time.GetUtcNow()) }
            : sample;
    }

    /// <summary>
    /// MONITOR_HOST of one kernel snapshot (pure): memory, TOTALCPU, the physical NICs
    /// (<see cref="PhysicalNic"/>) and the NUMA nodes, with the CPU use measured up to it.
    /// </summary>
    /// <exception cref="ProbeException">the snapshot lacks one of these parts (names the file).</exception>
    public static MonitorHostSample Project(KernelSnapshot kernel, CpuUsage? cpu) => new(
        kernel.Require(kernel.Memory, KernelSnapshot.MemoryPart),
        kernel.Require(kernel.TotalCpu, KernelSnapshot.OnlineCpusPart),
        cpu,
        [.. kernel.Require(kernel.NetDevices, KernelSnapshot.NetDevicesPart).Where(n => PhysicalNic.IsPhysical(n.Name))],
        kernel.Require(kernel.Numa, KernelSnapshot.NumaPart));

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
