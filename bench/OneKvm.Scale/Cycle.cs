using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using OneKvm.Collector;
using OneKvm.Collector.Commands;
using OneKvm.Collector.Configuration;
using OneKvm.Probes.Audit;

namespace OneKvm.Scale;

/// <summary>
/// One sampling cycle of <c>serve</c>, in process: every source serve runs on a tick (categories
/// not excluded, the host sample of <c>vm_stats</c> and the cgroup audit, the libvirt check; not <c>system_host</c>,
/// which runs every 20th tick), concurrently as serve runs them. One warm-up cycle, then cycles
/// until at least <c>minCycles</c> and 2 s; CPU from getrusage (this process, and any child
/// processes it waited for), libvirtd's from <c>/proc/PID/stat</c> when a pid is given.
/// </summary>
public static partial class Cycle
{
    public sealed record Result(int Cycles, double CpuMs, double ChildCpuMs, double WallMs, double? LibvirtdCpuMs, IReadOnlyDictionary<string, double> SourceWallMs, IReadOnlyList<string> Errors);

    public static async Task<Result> RunAsync(IReadOnlyList<string> onekvmArgs, int minCycles, int? libvirtdPid)
    {
        var options = ConfigurationLoader.Load(CommandLineArgs.Parse(["serve", .. onekvmArgs]));
        // Each cycle is one serve tick later: the shared domain snapshot (MaxAge as serve sets it) is
        // reused within a cycle and read anew in the next, as on serve's timers.
        var time = new TickingClock();
        var tick = TimeSpan.FromSeconds(options.Serve.IntervalSeconds);
        await using var libvirt = LibvirtClientFactory.Create(options.Libvirt, time);
        // Serve shares one domain snapshot per tick between vm_stats and the categories.
        var context = ContextFactory.Create(options, libvirt, TimeSpan.FromSeconds(0.9 * options.Serve.IntervalSeconds), time);
        var sources = ServeCommand.Sources(options.Serve, context, new HostReservations(options.Host.ReservedCpu, options.Host.ReservedMem), options.Cgroups).All.Where(s => s.Name != "system_host").ToList();
        var errors = new SortedSet<string>(StringComparer.Ordinal);
        var wall = sources.ToDictionary(s => s.Name, _ => 0.0, StringComparer.Ordinal);

        async Task OnceAsync(bool record)
        {
            time.Advance(tick);
            await Task.WhenAll(sources.Select(async s =>
            {
                var watch = Stopwatch.StartNew();
                try
                {
                    await s.RunOnceAsync(CancellationToken.None);
                }
                catch (Exception e)
                {
                    errors.Add($"{s.Name}: {e.Message}");
                }
                if (record) lock (wall) wall[s.Name] += watch.Elapsed.TotalMilliseconds;
            }));
        }

        await OnceAsync(false);
        var (self0, children0) = Usage();
        var libvirtd0 = libvirtdPid is { } p0 ? ProcessCpuMs(p0) : (double?)null;
        var total = Stopwatch.StartNew();
        var cycles = 0;
        while (cycles < minCycles || total.Elapsed < TimeSpan.FromSeconds(2))
        {
            await OnceAsync(true);
            cycles++;
        }
        var elapsed = total.Elapsed.TotalMilliseconds;
        var (self1, children1) = Usage();
        var libvirtd1 = libvirtdPid is { } p1 ? ProcessCpuMs(p1) : (double?)null;
        return new Result(cycles, (self1 - self0) / cycles, (children1 - children0) / cycles, elapsed / cycles,
            libvirtd0 is { } a && libvirtd1 is { } b ? (b - a) / cycles : null,
            wall.ToDictionary(kv => kv.Key, kv => kv.Value / cycles, StringComparer.Ordinal), [.. errors]);
    }

    /// <summary>The system clock moved forward by whole ticks between cycles.</summary>
    private sealed class TickingClock : TimeProvider
    {
        private long offsetTicks;

        public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));
    }

    /// <summary>User + system CPU of a process from <c>/proc/PID/stat</c> (fields 14, 15; USER_HZ 100).</summary>
    public static double ProcessCpuMs(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    private static (double Self, double Children) Usage()
    {
        if (GetRUsage(0, out var self) != 0 || GetRUsage(-1, out var children) != 0)
            throw new IOException($"getrusage failed: errno {Marshal.GetLastPInvokeError()}");
        return (self.CpuMs, children.CpuMs);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeVal
    {
        public long Seconds;
        public long Microseconds;

        public readonly double Ms => Seconds * 1000.0 + Microseconds / 1000.0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public TimeVal User;
        public TimeVal System;
        // ru_maxrss … ru_nivcsw: 14 longs the cycle does not read.
        public long F0, F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12, F13;

        public readonly double CpuMs => User.Ms + System.Ms;
    }

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static partial int GetRUsage(int who, out RUsage usage);
}
