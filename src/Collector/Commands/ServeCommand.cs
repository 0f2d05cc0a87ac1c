using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Runtime.InteropServices;
using OneKvm.Collector.Configuration;
using OneKvm.Collector.Exporter;
using OneKvm.Collector.Pipeline;
using OneKvm.Probes;

namespace OneKvm.Collector.Commands;

/// <summary>
/// <c>onekvm-probe serve</c>: runs the categories and the libvirt check on their own timers and
/// serves Prometheus' text exposition of the latest snapshots at <c>/metrics</c>.
/// </summary>
public static class ServeCommand
{
    public static async Task<int> RunAsync(
        CommandLineArgs args, OneKvmOptions options, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        List<ListenAddress> listen;
        WebConfig web;
        try
        {
            // Both checked by OptionsValidator already; read again here for the server.
            listen = [.. OptionsValidator.ListenAddresses(options.Serve.Listen)];
            web = options.Serve.WebConfigFile is { Length: > 0 } file ? WebConfig.Load(file) : WebConfig.None;
            web.Tls?.LoadCertificate().Dispose(); // a bad certificate is a configuration error, found before any probe runs
            web.Tls?.LoadClientCas();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException)
        {
            await stderr.WriteLineAsync($"onekvm-probe: {e.Message}");
            return 2;
        }

        var time = TimeProvider.System;
        OneKvm.Libvirt.ILibvirtClient libvirt;
        try
        {
            libvirt = LibvirtClientFactory.Create(options.Libvirt, time, viaDaemon: false);
        }
        catch (OneKvm.Libvirt.LibvirtException e)
        {
            await stderr.WriteLineAsync($"onekvm-probe serve: {e.Message}");
            return 1;
        }
        await using var connection = libvirt;
        var context = ContextFactory.Create(options, libvirt, SampleMaxAge(options.Serve), time, stderr);
        await using var sharing = await OfferSocketAsync(options.Libvirt.ResolvedSamplerSocket, context, stderr);
        var reservations = new Probes.Audit.HostReservations(options.Host.ReservedCpu, options.Host.ReservedMem);
        var sources = Sources(options.Serve, context, reservations, options.Cgroups).ToList();
        var build = BuildVersion.Of(typeof(ServeCommand).Assembly);
        var registry = Prometheus.Metrics.NewCustomRegistry();
        Prometheus.DotNetStats.Register(registry); // process_* and dotnet_* (GC, memory), as of each snapshot's exposition
        using var cache = new ExpositionCache(new SnapshotExporter(registry, options.Serve.OpenNebulaLibvirtMetrics, build.Version, build.Revision));
        await using var server = new MetricsHttpServer(
            new HttpServerOptions(listen, web, sources.Select(s => s.Name).ToList(), build), cache);
        try
        {
            await server.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            await stderr.WriteLineAsync($"onekvm-probe serve: cannot listen on {string.Join(", ", listen)}: {e.Message}");
            return 1;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        using var pipeline = new ProbePipeline(TaskPoolScheduler.Default, time).Run(sources)
            .Scan(SnapshotSet.Empty, (set, snapshot) => set.With(snapshot))
            .StartWith(SnapshotSet.Empty)
            .Pairwise()
            .Subscribe(pair =>
            {
                cache.Update(pair.Current);
                LogChanges(pair.Previous, pair.Current, stderr);
            });
        await stderr.WriteLineAsync($"onekvm-probe serve: listening on {string.Join(", ", listen)} ({(web.Tls is null ? "http" : "https")}" +
            $"{(web.BasicAuthUsers.Count > 0 ? ", basic auth" : "")}; /metrics); probes " +
            string.Join(", ", sources.Select(s => $"{s.Name} every {s.Period.TotalSeconds:0.###} s")));
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        return 0;
    }

    /// <summary>Offers this daemon's libvirt and samples on the socket; another daemon answering there, or no permission, is a warning (serve goes on).</summary>
    private static async Task<Sharing.SamplerSocketServer?> OfferSocketAsync(string? path, Probes.ProbeContext context, TextWriter stderr)
    {
        if (path is null || OperatingSystem.IsWindows()) return null;
        if (Sharing.SocketLibvirtClient.Answers(path))
        {
            await stderr.WriteLineAsync($"onekvm-probe serve: another daemon answers on {path}: not sharing this one's samples");
            return null;
        }
        var server = new Sharing.SamplerSocketServer(path, context.Libvirt, context.Domains, stderr);
        try
        {
            server.Start();
            await stderr.WriteLineAsync($"onekvm-probe serve: sharing libvirt and samples on {path}");
            return server;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            await stderr.WriteLineAsync($"onekvm-probe serve: cannot offer {path} ({e.Message}): agent and --once will use their own connection");
            await server.DisposeAsync();
            return null;
        }
    }

    /// <summary>Sources falling due together share one domain snapshot: one younger than 90 % of the shortest interval is handed out again.</summary>
    internal static TimeSpan SampleMaxAge(ServeOptions serve) =>
        TimeSpan.FromSeconds(0.9 * serve.Intervals.Values.Append(serve.IntervalSeconds).Min());

    /// <summary>One stderr line when a probe starts failing, fails differently, or recovers (not on every tick).</summary>
    private static void LogChanges(SnapshotSet previous, SnapshotSet current, TextWriter log)
    {
        foreach (var (name, now) in current.Latest)
        {
            var before = previous.Latest.GetValueOrDefault(name);
            var incomplete = string.Join("; ", now.Missing);
            if (now.Error == before?.Error && incomplete == string.Join("; ", before?.Missing ?? [])) continue;
            log.WriteLine(!now.Success ? $"onekvm-probe serve: {name}: failed: {now.Error}"
                : incomplete.Length > 0 ? $"onekvm-probe serve: {name}: incomplete: {incomplete}"
                : $"onekvm-probe serve: {name}: recovered");
        }
    }

    /// <summary>The libvirt check plus every category not excluded, each with its interval.</summary>
    public static IEnumerable<ProbeSource> Sources(
        ServeOptions serve, ProbeContext context, Probes.Audit.HostReservations? reservations = null, Probes.Audit.ShareAuditSettings? audit = null)
    {
        TimeSpan Interval(string name) => TimeSpan.FromSeconds(serve.Intervals.GetValueOrDefault(name, serve.IntervalSeconds));
        yield return LibvirtLiveness.Source(context.Libvirt, Interval(LibvirtLiveness.SourceName));
        foreach (var category in CategoryCatalog.All)
        {
            if (serve.ExcludeCategories.Contains(category.Name, StringComparer.Ordinal)) continue;
            yield return CategorySources.For(category, context, Interval(category.Name));
        }
        if (!serve.ExcludeCategories.Contains(ExporterSources.VmStats, StringComparer.Ordinal))
            yield return ExporterSources.VmStatsSource(context, Interval(ExporterSources.VmStats));
        if (reservations is not null && !serve.ExcludeCategories.Contains(ExporterSources.Cgroups, StringComparer.Ordinal))
            yield return ExporterSources.CgroupsSource(context, reservations, audit ?? new Probes.Audit.ShareAuditSettings(), Interval(ExporterSources.Cgroups));
    }
}
