using System.Text;
using OneKvm.Probes.OpenNebula;
using OneKvm.Probes.Sampling;
using OneKvm.Probes.Vm.Disks;

namespace OneKvm.Probes.Vm;

/// <summary>
/// <c>MONITOR_VM</c> (upstream <c>vm/monitor</c>): one line per active
/// <c>one-&lt;ID&gt;</c> domain, <c>VM = [ ID="42", DEPLOY_ID="&lt;uuid&gt;", MONITOR="&lt;base64&gt;"]</c>.
/// Reads the domains from the process's <see cref="Sampling.DomainSampler"/> (one stats call) (two on the first run, for the CPU window) and the
/// <c>status</c> of each QEMU process found through the proc root; no per-VM libvirt call.
/// </summary>
public sealed class MonitorVmCategory : Category<MonitorVmSample>
{
    public const string GuestAgentDisabled = "QEMU Guest Agent monitoring disabled";

    private readonly VmCpuSampler _cpu = new("monitor_vm.cpu.json");

    public override string Name => "monitor_vm";

    public override string MessageType => "MONITOR_VM";

    /// <summary>How long a datastore's TM <c>monitor_ds</c> script may run.</summary>
    public static TimeSpan DatastoreScriptTimeout { get; } = TimeSpan.FromSeconds(30);

    public override async Task<MonitorVmSample> CollectAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        var first = await VmInventory.ReadAsync(context, cancellationToken);
        var snapshot = await _cpu.SampleAsync(context, first, cancellationToken);
        var result = new List<VmMonitorSample>();
        foreach (var (id, d) in VmInventory.OneVms(snapshot).OrderBy(v => v.Id))
        {
            result.Add(Measure(id, d));
        }
        if (context.Forecasts is { } forecasts)
        {
            var now = context.Time.GetUtcNow();
            for (var i = 0; i < result.Count; i++)
                result[i] = result[i] with { Forecast = forecasts.ObserveVm(result[i].Id, ForecastValues(result[i]), now) };
            forecasts.Retain(result.Select(v => v.Id).ToHashSet());
        }
        var (disks, warnings) = await LocalDatastoreDisks.CollectAsync(context.Paths, DatastoreScriptTimeout, cancellationToken);
        foreach (var warning in warnings) context.Warn($"monitor_vm: {warning}");
        return new MonitorVmSample(result, disks);
    }

    /// <summary>The values upstream's forecast keeps for a VM, by its names (absent values are not recorded).</summary>
    public static IReadOnlyDictionary<string, double> ForecastValues(VmMonitorSample vm)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        void Add(string name, double? value)
        {
            if (value is { } v) values[name] = v;
        }
        Add("cpu", vm.CpuPercent);
        Add("memory", vm.MemoryKiB);
        Add("netrx", vm.NetRxBytes);
        Add("nettx", vm.NetTxBytes);
        Add("diskrdbytes", vm.DiskReadBytes);
        Add("diskwrbytes", vm.DiskWriteBytes);
        Add("diskrdiops", vm.DiskReadRequests);
        Add("diskwriops", vm.DiskWriteRequests);
        return values;
    }

    /// <summary>Pure: the values of one domain from its snapshot entry (statistics, CPU and memory of the same read).</summary>
    public static VmMonitorSample Measure(int id, DomainEntry d)
    {
        var s = d.Stats;
        var io = VmStateMapping.ReportsIo(s.State);
        return new VmMonitorSample(id, d.Uuid, d.Name, d.CpuPercent, d.Memory?.TotalKiB,
            io ? Sum(s.Nets, n => n.RxBytes) : null,
            io ? Sum(s.Nets, n => n.TxBytes) : null,
            io ? Sum(s.Blocks, b => b.ReadBytes) : null,
            io ? Sum(s.Blocks, b => b.WriteBytes) : null,
            io ? Sum(s.Blocks, b => b.ReadRequests) : null,
            io ? Sum(s.Blocks, b => b.WriteRequests) : null);
    }

    public override string Render(MonitorVmSample sample, ProbeContext context)
    {
        var text = new StringBuilder();
        foreach (var vm in sample.Vms)
        {
            var monitor = Encode(MonitorText(vm, context.Settings.GuestAgentMonitoring));
            text.Append("VM = [ ID=\"").Append(vm.Id).Append("\", DEPLOY_ID=\"").Append(TemplateWriter.Escape(vm.DeployId))
                .Append("\", MONITOR=\"").Append(monitor).Append("\"]\n");
        }
        return text.Append(sample.DatastoreDisks).ToString();
    }

    /// <summary>The decoded MONITOR text: <c>KEY="value"</c> lines in upstream's order.</summary>
    public static string MonitorText(VmMonitorSample vm, bool guestAgentMonitoring)
    {
        var w = new TemplateWriter();
        if (vm.CpuPercent is { } cpu) w.Quoted("CPU", TemplateWriter.Number(cpu));
        Counter(w, "MEMORY", vm.MemoryKiB is { } m ? (ulong)m : null);
        Counter(w, "NETRX", vm.NetRxBytes);
        Counter(w, "NETTX", vm.NetTxBytes);
        Counter(w, "DISKRDBYTES", vm.DiskReadBytes);
        Counter(w, "DISKWRBYTES", vm.DiskWriteBytes);
        Counter(w, "DISKRDIOPS", vm.DiskReadRequests);
        Counter(w, "DISKWRIOPS", vm.DiskWriteRequests);
        // guestagent.conf ships ":enabled: false"; every configured command (default VM_QEMU_PING)
        // then carries this text. Querying the agent when enabled is not implemented.
        if (!guestAgentMonitoring) w.Quoted("VM_QEMU_PING", GuestAgentDisabled);
        foreach (var (key, value) in vm.Forecast) w.Quoted(key, value);
        return w.ToString();
    }

    internal static string Encode(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static void Counter(TemplateWriter w, string key, ulong? value)
    {
        if (value is { } v && v != Implausible) w.Quoted(key, v.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The sum over the devices; null when a device lacks the counter or the sum does not fit 64 bits (an implausible counter, reported by <see cref="Missing"/>).</summary>
    private static ulong? Sum<T>(IReadOnlyList<T>? items, Func<T, ulong?> value)
    {
        if (items is null) return null;
        ulong total = 0;
        foreach (var item in items)
        {
            if (value(item) is not { } v) return null;
            if (ulong.MaxValue - total < v) return Implausible;
            total += v;
        }
        return total;
    }

    /// <summary>Marks a sum beyond 2^64 - 1: no disk or NIC moves that many bytes; the key is left out and the VM named.</summary>
    private const ulong Implausible = ulong.MaxValue;

    public override IReadOnlyList<string> Missing(MonitorVmSample sample) =>
        [.. sample.Vms.Where(HasImplausible).Select(vm => $"VM {vm.Id} ({vm.DeployId}): a NIC or disk counter sum exceeds 2^64 - 1 (implausible counter): left out")];

    private static bool HasImplausible(VmMonitorSample vm) =>
        vm.NetRxBytes == Implausible || vm.NetTxBytes == Implausible || vm.DiskReadBytes == Implausible
        || vm.DiskWriteBytes == Implausible || vm.DiskReadRequests == Implausible || vm.DiskWriteRequests == Implausible;
}
