using OneKvm.Cgroups;
using OneKvm.Probes.Host;
using OneKvm.Probes.Sampling;

namespace OneKvm.Probes.Tests.Host;

public sealed class CpuSamplerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("onekvm-cpusampler-").FullName;
    private readonly InstantTimeProvider _time = new();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task SampleAsync_FirstRunWaitsTheWindow_NextRunComparesWithItWithoutWaiting()
    {
        var context = Context();
        Stat("cpu  1000 0 1000 8000 0 0 0 0 0 0");
        var (first, _) = await Sample(context);
        _time.Delays.ShouldBe([TimeSpan.FromSeconds(30)]);
        first.ShouldBe(new CpuUsage(160, 40)); // frozen during the window: average since boot, 8000 / 10000 idle

        Stat("cpu  1300 0 1100 8600 0 0 0 0 0 0"); // +1000 ticks, 600 idle
        var (second, _) = await Sample(context);
        _time.Delays.Count.ShouldBe(1, "the second run must not wait");
        second.ShouldBe(new CpuUsage(120, 80));
    }

    [Fact]
    public async Task SampleAsync_FirstRunWithinMaxAge_EndsTheWindowAtANewKernelSnapshot()
    {
        var context = Sampling.ProbeContexts.Replay(HostPaths.UnderRoot(_root), Settings(Path.Join(_root, "state")), time: _time, maxAge: TimeSpan.FromHours(1));
        Stat("cpu  1000 0 1000 8000 0 0 0 0 0 0");
        _time.OnDelay = () => Stat("cpu  1300 0 1100 8600 0 0 0 0 0 0");
        var (usage, end) = await Sample(context);
        usage.ShouldBe(new CpuUsage(120, 80)); // 600 idle of the window's 1000 ticks
        context.Host.Kernel.Reads.ShouldBe(2);
        end.ShouldBeSameAs(context.Host.Kernel.Latest);
    }

    [Fact]
    public async Task SampleAsync_UnwritableStateDirectory_StillReports()
    {
        var blocker = Path.Join(_root, "not-a-directory");
        File.WriteAllText(blocker, "");
        Stat("cpu  1000 0 1000 8000 0 0 0 0 0 0");
        var (usage, _) = await Sample(Context() with { Settings = Settings(Path.Join(blocker, "state")) });
        usage.ShouldBe(new CpuUsage(160, 40));
    }

    private static async Task<(CpuUsage? Usage, KernelSnapshot Kernel)> Sample(ProbeContext context) =>
        await CpuSampler.SampleAsync(context, await context.Host.Kernel.ReadAsync(CancellationToken.None), CancellationToken.None);

    private void Stat(string cpuLine)
    {
        Directory.CreateDirectory(Path.Join(_root, "proc"));
        File.WriteAllText(Path.Join(_root, "proc", "stat"), $"{cpuLine}\ncpu0 1 1 1 1\ncpu1 1 1 1 1\nbtime 1795637321\n");
    }

    private static ProbeSettings Settings(string stateDir) => new() { StateDirectory = stateDir, FirstSampleWindowSeconds = 30 };

    private ProbeContext Context() => Sampling.ProbeContexts.Replay(HostPaths.UnderRoot(_root), Settings(Path.Join(_root, "state")), time: _time);

    /// <summary>Records each delay and lets it elapse at once.</summary>
    private sealed class InstantTimeProvider : TimeProvider
    {
        public List<TimeSpan> Delays { get; } = [];

        /// <summary>Runs when a delay starts (the host changing during the window).</summary>
        public Action OnDelay { get; set; } = () => { };

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (Delays) Delays.Add(dueTime);
            OnDelay();
            ThreadPool.QueueUserWorkItem(_ => callback(state));
            return new NoTimer();
        }

        private sealed class NoTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose() { }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
