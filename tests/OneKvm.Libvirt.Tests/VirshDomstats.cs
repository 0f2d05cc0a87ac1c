using System.Globalization;
using OneKvm.Libvirt.Stats;
using OneKvm.Tests;

namespace OneKvm.Libvirt.Tests;

/// <summary><c>virsh domstats</c> as the oracle of the native stats: its text, and a native record flattened to the same keys.</summary>
internal static class VirshDomstats
{
    /// <summary>The used groups, as <c>virsh domstats</c> options.</summary>
    public static readonly string[] GroupOptions = ["--state", "--cpu-total", "--balloon", "--vcpu", "--interface", "--block", "--nowait"];

    /// <summary>Runs <c>virsh domstats</c> for the named domains: domain name → key → value text.</summary>
    public static Dictionary<string, Dictionary<string, string>> Read(params string[] names)
    {
        var (code, stdout, stderr) = TestDomain.Virsh([.. new[] { "domstats" }, .. GroupOptions, .. names]);
        if (code != 0) throw new InvalidOperationException($"virsh domstats failed: {stderr}");
        var result = new Dictionary<string, Dictionary<string, string>>();
        Dictionary<string, string>? current = null;
        foreach (var raw in stdout.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("Domain: '", StringComparison.Ordinal))
            {
                result[line[9..^1]] = current = [];
            }
            else if (current is not null && line.IndexOf('=', StringComparison.Ordinal) is var eq and > 0)
            {
                current[line[..eq]] = line[(eq + 1)..];
            }
        }
        return result;
    }

    /// <summary>A native record as <c>virsh domstats</c> would print the keys OneKvm maps (absent fields absent).</summary>
    public static Dictionary<string, string> Flatten(DomainStats s)
    {
        var d = new Dictionary<string, string>();
        void Put(string key, object? value)
        {
            if (value is not null) d[key] = Convert.ToString(value, CultureInfo.InvariantCulture)!;
        }
        if (s.State is { } st)
        {
            Put("state.state", st.State);
            Put("state.reason", st.Reason);
        }
        if (s.Cpu is { } cpu)
        {
            Put("cpu.time", cpu.TimeNs);
            Put("cpu.user", cpu.UserNs);
            Put("cpu.system", cpu.SystemNs);
        }
        if (s.Balloon is { } b)
        {
            Put("balloon.current", b.CurrentKiB);
            Put("balloon.maximum", b.MaximumKiB);
            Put("balloon.rss", b.RssKiB);
            Put("balloon.unused", b.UnusedKiB);
            Put("balloon.available", b.AvailableKiB);
            Put("balloon.usable", b.UsableKiB);
            Put("balloon.swap_in", b.SwapInKiB);
            Put("balloon.swap_out", b.SwapOutKiB);
            Put("balloon.last-update", b.LastUpdateEpochSeconds);
        }
        if (s.Vcpu is { } v)
        {
            Put("vcpu.current", v.Current);
            Put("vcpu.maximum", v.Maximum);
            foreach (var c in v.Vcpus)
            {
                Put($"vcpu.{c.Index}.state", c.State);
                Put($"vcpu.{c.Index}.time", c.TimeNs);
                Put($"vcpu.{c.Index}.wait", c.WaitNs);
                Put($"vcpu.{c.Index}.delay", c.DelayNs);
            }
        }
        if (s.Nets is { } nets)
        {
            Put("net.count", nets.Count);
            foreach (var n in nets)
            {
                var p = $"net.{n.Index}.";
                Put(p + "name", n.Name);
                Put(p + "rx.bytes", n.RxBytes);
                Put(p + "rx.pkts", n.RxPackets);
                Put(p + "rx.errs", n.RxErrors);
                Put(p + "rx.drop", n.RxDrops);
                Put(p + "tx.bytes", n.TxBytes);
                Put(p + "tx.pkts", n.TxPackets);
                Put(p + "tx.errs", n.TxErrors);
                Put(p + "tx.drop", n.TxDrops);
            }
        }
        if (s.Blocks is { } blocks)
        {
            Put("block.count", blocks.Count);
            foreach (var k in blocks)
            {
                var p = $"block.{k.Index}.";
                Put(p + "name", k.Name);
                Put(p + "path", k.Path);
                Put(p + "backingIndex", k.BackingIndex);
                Put(p + "rd.reqs", k.ReadRequests);
                Put(p + "rd.bytes", k.ReadBytes);
                Put(p + "rd.times", k.ReadTimeNs);
                Put(p + "wr.reqs", k.WriteRequests);
                Put(p + "wr.bytes", k.WriteBytes);
                Put(p + "wr.times", k.WriteTimeNs);
                Put(p + "fl.reqs", k.FlushRequests);
                Put(p + "fl.times", k.FlushTimeNs);
                Put(p + "allocation", k.AllocationBytes);
                Put(p + "capacity", k.CapacityBytes);
                Put(p + "physical", k.PhysicalBytes);
            }
        }
        return d;
    }

    /// <summary>Whether OneKvm's model has a field for a <c>virsh domstats</c> key.</summary>
    public static bool Mapped(string key)
    {
        var parts = key.Split('.');
        var field = parts.Length > 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)
            ? string.Join('.', parts[2..])
            : string.Join('.', parts[1..]);
        return parts[0] switch
        {
            "state" => field is "state" or "reason",
            "cpu" => field is "time" or "user" or "system",
            "balloon" => field is "current" or "maximum" or "rss" or "unused" or "available" or "usable" or "swap_in" or "swap_out" or "last-update",
            "vcpu" => field is "current" or "maximum" or "state" or "time" or "wait" or "delay",
            "net" => field is "count" or "name" or "rx.bytes" or "rx.pkts" or "rx.errs" or "rx.drop" or "tx.bytes" or "tx.pkts" or "tx.errs" or "tx.drop",
            "block" => field is "count" or "name" or "path" or "backingIndex" or "rd.reqs" or "rd.bytes" or "rd.times" or "wr.reqs" or "wr.bytes"
                or "wr.times" or "fl.reqs" or "fl.times" or "allocation" or "capacity" or "physical",
            _ => false,
        };
    }

    /// <summary>Counters only grow; the native value read between two virsh reads lies between them.</summary>
    public static bool IsCounter(string key) =>
        key is "cpu.time" or "cpu.user" or "cpu.system"
        || (key.StartsWith("vcpu.", StringComparison.Ordinal) && (key.EndsWith(".time", StringComparison.Ordinal) || key.EndsWith(".wait", StringComparison.Ordinal) || key.EndsWith(".delay", StringComparison.Ordinal)))
        || (key.StartsWith("net.", StringComparison.Ordinal) && (key.Contains(".rx.", StringComparison.Ordinal) || key.Contains(".tx.", StringComparison.Ordinal)))
        || (key.StartsWith("block.", StringComparison.Ordinal) && (key.Contains(".rd.", StringComparison.Ordinal) || key.Contains(".wr.", StringComparison.Ordinal) || key.Contains(".fl.", StringComparison.Ordinal)));

    /// <summary>Gauges that move on their own in a running QEMU (resident memory): bracketed by the two reads.</summary>
    public static bool IsMovingGauge(string key) => key is "balloon.rss" || (key.StartsWith("block.", StringComparison.Ordinal) && key.EndsWith(".allocation", StringComparison.Ordinal));
}
