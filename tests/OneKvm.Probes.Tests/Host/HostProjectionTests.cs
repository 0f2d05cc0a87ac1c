using OneKvm.Cgroups;
using OneKvm.Libvirt.Replay;
using OneKvm.Probes.Host;
using OneKvm.Probes.Sampling;
using OneKvm.Probes.Tests.Sampling;
using OneKvm.Tests;

namespace OneKvm.Probes.Tests.Host;

/// <summary>
/// MONITOR_HOST, SYSTEM_HOST and the cgroup source are projections of one kernel snapshot: over a
/// copy of the <c>debian12-1node</c> fixture host, within one MaxAge, the kernel is read once, and a
/// part that fails fails only the consumers that need it.
/// </summary>
public sealed class HostProjectionTests : IDisposable
{
    private const string Scenario = "debian12-1node";
    private static readonly TimeSpan MaxAge = TimeSpan.FromHours(1);
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-hostproj-").FullName;
    private readonly string _root;
    private readonly HostPaths _paths;

    public HostProjectionTests()
    {
        _root = FixtureCopy.Host(Scenario, Path.Join(_dir, "host"));
        _paths = HostPaths.UnderRoot(_root);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task OneMaxAge_MonitorSystemAndCgroups_ReadTheKernelOnceAndNoKernelFileOfTheSnapshot()
    {
        var context = Context();
        await context.Host.Kernel.ReadAsync(CancellationToken.None);
        // Every file the snapshot holds is gone: a consumer reading one itself fails.
        File.Delete(_paths.ProcPath("stat"));
        File.Delete(_paths.ProcPath("meminfo"));
        File.Delete(_paths.ProcPath("net", "dev"));
        File.Delete(_paths.ProcPath("self", "mountinfo"));
        File.Delete(_paths.SysPath("devices", "system", "cpu", "online"));
        Directory.Delete(_paths.SysPath("devices", "system", "node"), recursive: true);

        var monitor = await new MonitorHostCategory().RenderAsync(context, CancellationToken.None);
        var system = await new SystemHostCategory().RenderAsync(context, CancellationToken.None);
        var cgroups = await context.Host.Cgroups.ReadAsync(CancellationToken.None);

        context.Host.Kernel.Reads.ShouldBe(1);
        context.Host.Datastores.Reads.ShouldBe(1);
        cgroups.Totals.TotalCpu.ShouldBe(200);
        cgroups.Totals.TotalMemoryKiB.ShouldBe(24684084);
        var (goldenSystem, goldenMonitor) = Golden();
        monitor.ShouldBe(goldenMonitor);
        GoldenFile.MaskFilesystemSizes(system).ShouldBe(goldenSystem);
    }

    [Fact]
    public async Task MalformedNetDev_FailsMonitorHostNamingTheFile_SystemHostAndCgroupsGoOn()
    {
        var netDev = _paths.ProcPath("net", "dev");
        File.AppendAllText(netDev, "  eth9: 12 oops\n");
        var context = Context();

        var e = await Should.ThrowAsync<ProbeException>(() => new MonitorHostCategory().RenderAsync(context, CancellationToken.None));
        e.Message.ShouldStartWith($"{netDev}:13: malformed interface line ");
        var system = await new SystemHostCategory().RenderAsync(context, CancellationToken.None);
        GoldenFile.MaskFilesystemSizes(system).ShouldBe(Golden().System);
        (await context.Host.Cgroups.ReadAsync(CancellationToken.None)).Totals.TotalCpu.ShouldBe(200);

        var snapshot = await context.Host.ReadAsync(CancellationToken.None);
        var kernel = snapshot.Kernel.Value.ShouldNotBeNull();
        kernel.Errors.Keys.ShouldBe([KernelSnapshot.NetDevicesPart]);
        kernel.NetDevices.ShouldBeNull();
        kernel.Stat.ShouldNotBeNull();
        kernel.Memory.ShouldNotBeNull();
        snapshot.Cgroups.Success.ShouldBeTrue();
        snapshot.Datastores.Success.ShouldBeTrue();
        context.Host.Kernel.Reads.ShouldBe(1);
    }

    [Fact]
    public async Task EmptyOnlineCpus_FailsEveryConsumerOfTheCapacityNamingTheFile_TheOtherPartsStay()
    {
        var online = _paths.SysPath("devices", "system", "cpu", "online");
        File.WriteAllText(online, "\n");
        var context = Context();
        var expected = $"{online}: empty: no CPU listed as online (expected a CPU list such as 0-3)";

        (await Should.ThrowAsync<ProbeException>(() => new MonitorHostCategory().RenderAsync(context, CancellationToken.None))).Message.ShouldBe(expected);
        (await Should.ThrowAsync<ProbeException>(() => new SystemHostCategory().RenderAsync(context, CancellationToken.None))).Message.ShouldBe(expected);
        var snapshot = await context.Host.ReadAsync(CancellationToken.None);

        snapshot.Cgroups.Error.ShouldBe(expected);
        snapshot.Datastores.Success.ShouldBeTrue();
        var kernel = snapshot.Kernel.Value.ShouldNotBeNull();
        kernel.Errors.Keys.ShouldBe([KernelSnapshot.OnlineCpusPart]);
        MonitorHostCategory.Project(kernel with { OnlineCpus = 2 }, cpu: null).Nics.Count.ShouldBe(2); // eth0, ens3f0np0
        context.Host.Kernel.Reads.ShouldBe(1);
    }

    [Fact]
    public void Project_RecordedSnapshot_RendersTheMonitorHostGolden()
    {
        var kernel = KernelSnapshot.Read(HostPaths.UnderRoot(TestPaths.Host(Scenario)), TimeProvider.System);
        var context = Context();
        var sample = MonitorHostCategory.Project(kernel, new CpuUsage(125, 75));
        new MonitorHostCategory().Render(sample, context).ShouldBe(Golden().Monitor);
    }

    /// <summary>The SYSTEM_HOST and MONITOR_HOST parts of the <c>--once</c> golden of the fixture (the previous CPU reading of its state).</summary>
    private static (string System, string Monitor) Golden()
    {
        var text = File.ReadAllText(Path.Join(TestPaths.Host(Scenario), "expected", "once-system_host-monitor_host.txt"));
        var monitorAt = text.IndexOf("HYPERVISOR=kvm\nUSEDMEMORY=", StringComparison.Ordinal);
        return (text[..monitorAt], text[monitorAt..]);
    }

    private ProbeContext Context()
    {
        var state = Path.Join(_dir, "state");
        Directory.CreateDirectory(state);
        File.Copy(Path.Join(_root, "state", "host-cpu.json"), Path.Join(state, CpuSampler.StateFileName), overwrite: true);
        var recording = ReplayLibvirtClient.Load(Path.Join(_root, "libvirt.json"));
        return ProbeContexts.Replay(_paths, new ProbeSettings { StateDirectory = state }, recording, maxAge: MaxAge);
    }
}
