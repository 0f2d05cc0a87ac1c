using System.Text.Json;
using OneKvm.Libvirt.Replay;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Once;

/// <summary><c>onekvm-probe --once</c> end to end over the <c>debian12-1node</c> fixture host.</summary>
[Collection(ProcessEnvironmentTests.Name)]
public sealed class OnceFixtureTests : IDisposable
{
    private const string Scenario = "debian12-1node";
    private readonly string _state = Directory.CreateTempSubdirectory("onekvm-state-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    /// <summary>The fixture's previous CPU reading: 20 s earlier, 1000 user + 500 system + 2500 idle ticks before.</summary>
    private void SeedPreviousCpuReading() =>
        File.Copy(Path.Join(TestPaths.Host(Scenario), "state", "host-cpu.json"), Path.Join(_state, "host-cpu.json"));

    [Fact]
    public async Task Once_SystemAndMonitorHost_MatchGolden()
    {
        SeedPreviousCpuReading();
        var result = await OnceRunner.RunAsync(
            ["--once", "--category", "system_host,monitor_host", .. OnceRunner.FixtureArgs(Scenario, _state)]);

        result.Stderr.ShouldBeEmpty();
        result.ExitCode.ShouldBe(0);
        result.Stdout.ShouldContain("FREECPU=125\nUSEDCPU=75\n"); // 200 × 2500 / 4000
        GoldenFile.Check($"hosts/{Scenario}/expected/once-system_host-monitor_host.txt", GoldenFile.MaskFilesystemSizes(result.Stdout));
    }

    [Fact]
    public async Task Once_AfterARun_KeepsTheReadingForTheNextRun()
    {
        var result = await OnceRunner.RunAsync(
            ["--once", "--category", "monitor_host", "--Probes:FirstSampleWindowSeconds=0.01", .. OnceRunner.FixtureArgs(Scenario, _state)]);

        result.ExitCode.ShouldBe(0);
        var state = File.ReadAllText(Path.Join(_state, "host-cpu.json"));
        state.ShouldContain("\"Idle\":1244251"); // the fixture's /proc/stat
        // Frozen fixture: no tick between the two readings of the window, so the average since boot is used.
        result.Stdout.ShouldContain("FREECPU=190\nUSEDCPU=10\n"); // 200 × 1244251 idle / 1304094 ticks
    }

    [Fact]
    public async Task Once_LibvirtUnreachable_PrintsKernelPartAndFailsNamingTheUri()
    {
        SeedPreviousCpuReading();
        var result = await OnceRunner.RunAsync(
            ["--once", "--category", "system_host,monitor_host", .. OnceRunner.FixtureArgs(Scenario, _state, "libvirt-down.json")]);

        result.ExitCode.ShouldBe(1);
        var error = result.Stderr.TrimEnd('\n');
        error.ShouldNotContain('\n');
        error.ShouldStartWith("onekvm-probe: system_host: incomplete: libvirt attributes left out (KVM_CPU_FEATURES, KVM_MACHINES, KVM_CPU_MODEL, KVM_CPU_MODELS, MEMORY_ENCRYPTION): ");
        error.ShouldContain("libvirt at qemu:///system");
        error.ShouldContain("Failed to connect socket to '/var/run/libvirt/libvirt-sock'");
        result.Stdout.ShouldNotContain("KVM_");
        GoldenFile.Check($"hosts/{Scenario}/expected/once-libvirt-down.txt", GoldenFile.MaskFilesystemSizes(result.Stdout));
    }

    [Fact]
    public async Task Once_LibvirtHangs_FailsAtTheDeadlineAndOnlyItsPartFails()
    {
        var recording = Path.Join(_state, "hanging.json");
        var hanging = ReplayLibvirtClient.Load(Path.Join(TestPaths.Host(Scenario), "libvirt.json")) with
        {
            Failures = new Dictionary<string, RecordedFailure> { ["*"] = new("hang") },
        };
        await File.WriteAllTextAsync(recording, JsonSerializer.Serialize(hanging, LibvirtRecordingJson.Default.LibvirtRecording));
        var result = await OnceRunner.RunAsync(
            ["--once", "--category", "system_host", "--Libvirt:TimeoutSeconds=0.5", .. OnceRunner.FixtureArgs(Scenario, _state), $"--Libvirt:Replay={recording}"]);

        result.ExitCode.ShouldBe(1);
        result.Stderr.ShouldContain("libvirt at qemu:///system did not answer capabilities within 0.5 s");
        result.Stdout.ShouldContain("TOTALCPU=200\n");
        result.Stdout.ShouldContain("HOSTNAME=\"kvm-node-01\"\n");
    }
}
