using OneKvm.Libvirt.Domain;
using System.Globalization;
using System.Text;

namespace OneKvm.Probes.Vm;

/// <summary>What the 5.x poll prints for one domain; <c>Letter</c> <c>d</c> when it is not active.</summary>
public sealed record PollSample(char Letter, VmMonitorSample? Values);

/// <summary>
/// The OpenNebula 5.x VMM <c>poll</c> action for one domain (<c>--vm NAME|UUID</c>), one line:
/// <c>STATE=a CPU=12.5 MEMORY=52188 NETRX=90 NETTX=0</c>. Letters: a active, p paused (suspended),
/// e error, - unknown, d disappeared (not an active domain). Uses the same bulk read and CPU
/// method as MONITOR_VM (its own previous-sample file, <c>poll.cpu.json</c>).
/// </summary>
public sealed class PollCategory : Category<PollSample>
{
    private readonly VmCpuSampler _cpu = new("poll.cpu.json");

    public override string Name => "poll";

    public override string MessageType => "POLL";

    public override async Task<PollSample> CollectAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        var wanted = context.Settings.PollDomain
            ?? throw new ProbeException("the poll category needs --vm DOMAIN (a domain name or UUID)");
        var first = await VmInventory.ReadAsync(context, cancellationToken);
        var snapshot = await _cpu.SampleAsync(context, first, cancellationToken);
        var d = snapshot.Domains.FirstOrDefault(x => x.Name == wanted || string.Equals(x.Uuid, wanted, StringComparison.OrdinalIgnoreCase));
        if (d is null || !VmStateMapping.IsActive(d.Stats.State)) return new PollSample('d', null);

        var id = OneVmName.TryParseId(d.Name, out var vmId) ? vmId : -1;
        var values = MonitorVmCategory.Measure(id, d);
        return new PollSample(VmStateMapping.LegacyLetter(d.Stats.State), values);
    }

    public override string Render(PollSample sample, ProbeContext context)
    {
        var line = new StringBuilder("STATE=").Append(sample.Letter);
        if (sample.Values is { } v)
        {
            if (v.CpuPercent is { } cpu) line.Append(" CPU=").Append(OpenNebula.TemplateWriter.Number(cpu));
            if (v.MemoryKiB is { } m) line.Append(" MEMORY=").Append(m.ToString(CultureInfo.InvariantCulture));
            if (v.NetRxBytes is { } rx) line.Append(" NETRX=").Append(rx.ToString(CultureInfo.InvariantCulture));
            if (v.NetTxBytes is { } tx) line.Append(" NETTX=").Append(tx.ToString(CultureInfo.InvariantCulture));
        }
        return line.Append('\n').ToString();
    }
}
