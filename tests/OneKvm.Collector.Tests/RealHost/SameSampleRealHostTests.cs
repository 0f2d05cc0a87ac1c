using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using OneKvm.Collector.Tests.Support;
using OneKvm.Tests;
using Xunit.Abstractions;

namespace OneKvm.Collector.Tests.RealHost;

/// <summary>
/// The host daemon (<c>serve</c>), the agent and an admin's <c>--once</c> on this host report the same
/// CPU and memory for a VM from the same sample: MONITOR_VM's <c>CPU</c> and <c>MEMORY</c> equal
/// /metrics' <c>onekvm_vm_cpu_usage_ratio</c> × 100 and (<c>onekvm_vm_memory_rss_bytes</c> +
/// <c>onekvm_vm_memory_swap_bytes</c>) / 1024, and the host holds one libvirt connection of OneKvm.
/// <para>Same sample, checked rather than hoped for: the daemon's socket answers <c>snapshot</c> with
/// the snapshot its consumers read (<c>takenAt</c>, each domain's <c>cpu.time</c>); /metrics shows
/// that snapshot when its <c>onekvm_vm_cpu_seconds_total</c> is that snapshot's <c>cpu.time</c>
/// (a spinning guest's counter moves between any two reads), and the clients read it when the daemon's
/// snapshot is the same <c>takenAt</c> before and after them. A serve tick between the reads
/// (every 20 s) makes the round start again, a bounded number of times.</para>
/// </summary>
[Trait(TestTraits.Category, TestTraits.RealHost)]
[Collection(LibvirtGroup.Name)]
public sealed partial class SameSampleRealHostTests(ITestOutputHelper output) : IDisposable
{
    private const string Spinning = "one-9770";
    private const string Idle = "one-9771";

    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-same-sample-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task DaemonAgentAndOnce_ReportTheDaemonsCpuAndMemory_OverOneConnection()
    {
        using var spin = TestDomain.Start(new TestDomainSpec { Name = Spinning, BootImage = TestDomain.SpinningBootSector(_dir, Spinning), Acpi = false });
        using var idle = TestDomain.Start(new TestDomainSpec { Name = Idle });
        var socket = Path.Join(_dir, "run", "sampler.sock");
        using var serve = ServeProcess.Start(_dir, [$"--Libvirt:SamplerSocket={socket}", "--Serve:IntervalSeconds=20", "--state-dir", Path.Join(_dir, "serve-state")]);
        // The first tick's snapshot has no CPU figure (no earlier read): wait for one that has.
        await serve.WaitForAsync(b => b.Contains($"onekvm_vm_cpu_usage_ratio{{domain=\"{Spinning}\"", StringComparison.Ordinal), TimeSpan.FromSeconds(90));

        await using var monitord = new MonitordListener();
        var kvmrc = Path.Join(_dir, "kvmrc");
        using var agent = ProbeProcess.StartAgent(_dir, monitord.Port, monitorVmSeconds: 2, [$"--Libvirt:SamplerSocket={socket}", "--log-level", "debug"]);
        await agent.ReadStdoutToEndAsync(TimeSpan.FromSeconds(60));

        var agreed = false;
        for (var round = 1; round <= 5 && !agreed; round++)
        {
            var before = await SnapshotAsync(socket);
            var metrics = await serve.ScrapeAsync();
            if (!Shows(metrics, before, Spinning))
            {
                output.WriteLine($"round {round}: /metrics is not the daemon's snapshot of {before.TakenAt:O} (a tick between): again");
                await Task.Delay(TimeSpan.FromSeconds(1));
                continue;
            }
            monitord.Clear();
            using var once = ProbeProcess.Start(["--once", "--category", "monitor_vm", "--kvmrc", kvmrc, "--state-dir", Path.Join(_dir, "once-state"),
                $"--Libvirt:SamplerSocket={socket}", "--log-level", "debug"]);
            var onceText = await once.ReadStdoutToEndAsync(TimeSpan.FromSeconds(60));
            (await once.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBe(0, once.Stderr);
            // The agent's first MONITOR_VM after the clear may have been read before it; the second was read after.
            await monitord.NextAsync(m => m.Type == "MONITOR_VM", TimeSpan.FromSeconds(30));
            var agentMessage = await monitord.NextAsync(m => m.Type == "MONITOR_VM", TimeSpan.FromSeconds(30));
            var after = await SnapshotAsync(socket);
            if (after.TakenAt != before.TakenAt)
            {
                output.WriteLine($"round {round}: the daemon's snapshot moved from {before.TakenAt:O} to {after.TakenAt:O} during the clients' reads: again");
                continue;
            }
            agreed = true;

            // The clients used the daemon's connection only: --once logged no connection of its own.
            once.Stderr.ShouldNotContain("libvirt: connected to");
            once.Stderr.ShouldNotContain("own libvirt connection");
            agentMessage.Status.ShouldBe("SUCCESS");
            foreach (var (name, id) in new[] { (Spinning, "9770"), (Idle, "9771") })
            {
                var exported = Exported(metrics, name);
                var daemon = before.Domains[name];
                var fromOnce = Monitor(onceText, id);
                var fromAgent = Monitor(agentMessage.Text, id);
                output.WriteLine(Inv($"{name}: /metrics CPU {exported.Cpu} MEMORY {exported.MemoryKiB}; daemon {daemon.CpuPercent} {daemon.MemoryKiB}; --once {fromOnce.Cpu} {fromOnce.MemoryKiB}; agent {fromAgent.Cpu} {fromAgent.MemoryKiB}"));
                exported.Cpu.ShouldBe(daemon.CpuPercent, 1e-9);
                exported.MemoryKiB.ShouldBe(daemon.MemoryKiB);
                foreach (var client in new[] { fromOnce, fromAgent })
                {
                    client.Cpu.ShouldBe(exported.Cpu, 1e-9, name);
                    client.MemoryKiB.ShouldBe(exported.MemoryKiB, name);
                }
            }
            before.Domains[Spinning].CpuPercent.ShouldBeGreaterThan(10); // a figure that means something: the guest spins
            before.Domains[Spinning].MemoryKiB.ShouldBeGreaterThan(0);
        }
        agreed.ShouldBeTrue("every round had a serve tick between its reads");

        // One libvirt connection of OneKvm on the host: the daemon's; the agent has none.
        VirtAdmin.ClientsOf(serve.ProcessId).Count.ShouldBe(1);
        VirtAdmin.ClientsOf(agent.Process.Id).ShouldBeEmpty();
        agent.Stderr.ShouldNotContain("libvirt: connected to");
        (await agent.TerminateAsync(TimeSpan.FromSeconds(15))).ShouldBe(0, agent.Stderr);
        (await serve.TerminateAsync()).ShouldBe(0, serve.Stderr);
    }

    private sealed record DaemonDomain(ulong CpuTimeNs, double CpuPercent, long MemoryKiB);

    private sealed record DaemonSnapshot(DateTimeOffset TakenAt, Dictionary<string, DaemonDomain> Domains);

    /// <summary>The daemon's <c>snapshot</c> answer, read as the socket protocol documents it (one request line, one JSON line).</summary>
    private static async Task<DaemonSnapshot> SnapshotAsync(string socketPath)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        await using var stream = new NetworkStream(socket);
        await stream.WriteAsync("snapshot\n"u8.ToArray());
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var line = await reader.ReadLineAsync() ?? throw new InvalidOperationException("no answer to snapshot");
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        root.TryGetProperty("failure", out _).ShouldBeFalse(line);
        var domains = new Dictionary<string, DaemonDomain>(StringComparer.Ordinal);
        foreach (var d in root.GetProperty("domains").EnumerateArray())
        {
            if (!d.TryGetProperty("cpuPercent", out var cpu)) continue; // a domain started after the previous read
            domains[d.GetProperty("name").GetString()!] = new DaemonDomain(
                d.GetProperty("stats").GetProperty("cpu").GetProperty("timeNs").GetUInt64(),
                cpu.GetDouble(),
                d.GetProperty("rssKiB").GetInt64() + (d.TryGetProperty("swapKiB", out var swap) ? swap.GetInt64() : 0));
        }
        return new DaemonSnapshot(root.GetProperty("takenAt").GetDateTimeOffset(), domains);
    }

    /// <summary>True when /metrics shows <paramref name="snapshot"/>: its cpu.time of the spinning domain, to the nanosecond.</summary>
    private static bool Shows(string metrics, DaemonSnapshot snapshot, string domain) =>
        snapshot.Domains.TryGetValue(domain, out var d) && Value(metrics, "onekvm_vm_cpu_seconds_total", domain) is { } seconds
            && Math.Abs(seconds - d.CpuTimeNs / 1e9) < 0.5e-9;

    private static (double Cpu, long MemoryKiB) Exported(string metrics, string domain)
    {
        var ratio = Value(metrics, "onekvm_vm_cpu_usage_ratio", domain) ?? throw new InvalidOperationException($"no CPU ratio of {domain}");
        var rss = Value(metrics, "onekvm_vm_memory_rss_bytes", domain) ?? throw new InvalidOperationException($"no rss of {domain}");
        var swap = Value(metrics, "onekvm_vm_memory_swap_bytes", domain) ?? 0;
        ((rss + swap) % 1024).ShouldBe(0);
        return (ratio * 100, (long)((rss + swap) / 1024));
    }

    private static double? Value(string metrics, string family, string domain)
    {
        var prefix = $"{family}{{domain=\"{domain}\",";
        var line = metrics.Split('\n').SingleOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? null : double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>CPU and MEMORY inside the decoded MONITOR of VM <paramref name="id"/> in a MONITOR_VM text.</summary>
    private static (double Cpu, long MemoryKiB) Monitor(string text, string id)
    {
        var line = text.Split('\n').Single(l => l.Contains($"ID=\"{id}\"", StringComparison.Ordinal));
        var encoded = MonitorAttribute().Match(line).Groups[1].Value;
        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        string Get(string key) => decoded.Split('\n').Select(l => Pair().Match(l)).Single(m => m.Success && m.Groups[1].Value == key).Groups[2].Value;
        return (double.Parse(Get("CPU"), CultureInfo.InvariantCulture), long.Parse(Get("MEMORY"), CultureInfo.InvariantCulture));
    }

    [GeneratedRegex("MONITOR=\"([A-Za-z0-9+/=]*)\"")]
    private static partial Regex MonitorAttribute();

    [GeneratedRegex("^\\s*([A-Z_]+)\\s*=\\s*\"?([^\"]*)\"?\\s*$")]
    private static partial Regex Pair();

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
