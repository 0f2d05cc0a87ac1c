using Microsoft.Extensions.Time.Testing;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Once;

/// <summary>
/// MONITOR_HOST's forecast keys end to end: <c>--once</c> run once a minute (a fixed clock) over the
/// frozen <c>debian12-1node</c> host, each run a new process context that reloads and extends the
/// persisted history. Keys appear once there is enough history, in upstream's order after the NUMA
/// lines; with a frozen host every forecast is the current value and every rate zero.
/// </summary>
[Collection(ProcessEnvironmentTests.Name)]
public sealed class OnceForecastTests : IDisposable
{
    private const string Scenario = "debian12-1node";
    private readonly string _state = Directory.CreateTempSubdirectory("onekvm-state-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    private async Task<string> RunAt(FakeTimeProvider time)
    {
        // The frozen host has no ticks between runs: give each run the fixture's earlier CPU reading
        // (a run without a usable one would wait its sampling window on the fake clock).
        File.Copy(Path.Join(TestPaths.Host(Scenario), "state", "host-cpu.json"), Path.Join(_state, "host-cpu.json"), overwrite: true);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await Entry.RunAsync(["--once", "--category", "monitor_host", .. OnceRunner.FixtureArgs(Scenario, _state)], stdout, stderr, time);
        stderr.ToString().ShouldBeEmpty();
        code.ShouldBe(0);
        return stdout.ToString();
    }

    [Fact]
    public async Task Forecast_keys_appear_with_history_and_match_golden()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));

        var first = await RunAt(time);
        first.ShouldNotContain("_FORECAST");
        File.Exists(Path.Join(_state, "forecast", "host.bin")).ShouldBeTrue();

        string last = first;
        for (var minute = 1; minute <= 30; minute++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            last = await RunAt(time);
        }

        last.ShouldStartWith(first.TrimEnd('\n'));
        last.ShouldContain("USEDCPU_FORECAST=");
        last.ShouldNotContain("_FORECAST_FAR"); // half an hour of history: no hourly points yet
        GoldenFile.Check($"hosts/{Scenario}/expected/once-monitor_host-forecast.txt", last);
    }
}
