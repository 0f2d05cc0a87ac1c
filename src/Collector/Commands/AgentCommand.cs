using System.Reactive.Concurrency;
using System.Runtime.InteropServices;
using OneKvm.Collector.Agent;
using OneKvm.Collector.Configuration;
using OneKvm.Probes;

namespace OneKvm.Collector.Commands;

/// <summary>
/// <c>onekvm-probe agent</c>: drop-in for OpenNebula's <c>monitord-client.rb</c>. Reads the
/// <c>MONITOR_CONFIGURATION</c> on stdin, writes monitord.conf, runs every category once and prints
/// the <c>MONITOR_MESSAGES</c> document, then sends each category on its period until stopped
/// (SIGTERM / SIGINT). Exit −1 (255) when the start fails, as upstream.
/// </summary>
public static class AgentCommand
{
    /// <summary>SIGUSR1 on Linux (PosixSignal has no name for it; raw numbers are accepted).</summary>
    private const PosixSignal SigUsr1 = (PosixSignal)10;

    public static Task<int> RunAsync(
        CommandLineArgs args, OneKvmOptions options, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken) =>
        RunAsync(options, Console.In, stdout, stderr, Environment.GetEnvironmentVariable("SSH_CLIENT"),
            detachStdout: ReferenceEquals(stdout, Console.Out), cancellationToken);

    public static async Task<int> RunAsync(
        OneKvmOptions options, TextReader stdin, TextWriter stdout, TextWriter stderr, string? sshClient,
        bool detachStdout, CancellationToken cancellationToken)
    {
        var xml = await stdin.ReadToEndAsync(cancellationToken);
        MonitorConfiguration configuration;
        string address;
        System.Security.Cryptography.RSA? key;
        try
        {
            configuration = MonitorConfiguration.Parse(xml);
            address = configuration.ResolveAddress(sshClient);
            key = configuration.LoadPublicKey();
            WriteFiles(options.Agent, configuration, xml, address);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            await stdout.WriteLineAsync(e.Message);
            await stderr.WriteLineAsync($"onekvm-probe agent: {e.Message}");
            return -1;
        }

        using var publicKey = key;
        var time = TimeProvider.System;
        var periods = configuration.Periods;
        OneKvm.Libvirt.ILibvirtClient libvirt;
        try
        {
            libvirt = LibvirtClientFactory.Create(options.Libvirt, time);
        }
        catch (OneKvm.Libvirt.LibvirtException e)
        {
            await stdout.WriteLineAsync(e.Message);
            await stderr.WriteLineAsync($"onekvm-probe agent: {e.Message}");
            return -1;
        }
        await using var connection = libvirt;
        var context = ContextFactory.Create(Adjust(options, configuration), libvirt, SampleMaxAge(periods), time, stderr);
        var categories = CategoryCatalog.All.Where(c => periods.For(c) is not null).ToList();
        TimeSpan? timeout = options.Agent.TimeoutSeconds is { } s ? TimeSpan.FromSeconds(s) : null;

        var startup = await StartupRun.RunAsync(categories, context, periods, timeout, cancellationToken);
        await stdout.WriteAsync(StartupDocument.Render(startup.Results, time.GetUtcNow().ToUnixTimeSeconds()));
        await stdout.FlushAsync(cancellationToken);
        if (startup.Failed) return -1;
        if (detachStdout) StdoutDetach.ToDevNull();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        // SIGUSR1 runs system_host at once (upstream: after vGPU changes).
        using var rescan = new System.Reactive.Subjects.Subject<System.Reactive.Unit>();
        using var sigusr1 = PosixSignalRegistration.Create(SigUsr1, c =>
        {
            c.Cancel = true;
            rescan.OnNext(System.Reactive.Unit.Default);
        });
        await stderr.WriteLineAsync($"onekvm-probe agent: host {configuration.HostId}: sending to {address}:{configuration.Port}" +
            (publicKey is null ? "" : " (RSA)") + $"; categories {string.Join(", ", categories.Select(c => c.Name))}");
        var runner = new AgentRunner(TaskPoolScheduler.Default, time, context,
            new MessageComposer(configuration.HostId, publicKey), new MonitordLink(address, configuration.Port), stderr);
        await runner.RunAsync(categories, periods,
            c => startup.Ran.Contains(c.Name) ? periods.For(c)!.Value : TimeSpan.Zero,
            timeout, stop.Token, rescan);
        return 0;
    }

    /// <summary>
    /// The VM categories share one domain snapshot per period of the fastest of them (STATE_VM,
    /// 5 s by default): a snapshot younger than 90 % of that period is handed out again.
    /// </summary>
    internal static TimeSpan SampleMaxAge(ProbePeriods periods) =>
        TimeSpan.FromSeconds(0.9 * Math.Min(periods.StateVm, periods.MonitorVm));

    /// <summary>Upstream's files: the configuration copy, the pid file, and monitord.conf for shell senders.</summary>
    private static void WriteFiles(AgentOptions agent, MonitorConfiguration configuration, string xml, string address)
    {
        MonitordConf.WriteAtomic(Path.Join(agent.DbDirectory, "config"), xml);
        MonitordConf.WriteAtomic(Path.Join(agent.DbDirectory, ".monitor_client.pid"),
            Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
        MonitordConf.WriteAtomic(agent.ResolvedMonitordConfPath, MonitordConf.Render(configuration, address));
        File.Delete(Path.Join(agent.DbDirectory, "pci_net_names")); // upstream drops its PCI NIC name cache at start
    }

    /// <summary>The monitord configuration supplies the host id, SYNC_STATE_VM and (unless set locally) the datastore location.</summary>
    private static OneKvmOptions Adjust(OneKvmOptions options, MonitorConfiguration configuration) => options with
    {
        Probes = options.Probes with { HostId = configuration.HostId, SyncStatePeriodSeconds = configuration.Periods.SyncStateVm },
        Paths = options.Paths.DatastoreLocation == OneKvm.Cgroups.HostPaths.Default.DatastoreLocation
            ? options.Paths with { DatastoreLocation = configuration.DatastoreLocation }
            : options.Paths,
    };
}
