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
    /// <summary>Runs serve until cancelled or SIGTERM; <paramref name="listening"/> is called once every address listens (the daemon's READY=1).</summary>
    public static async Task<int> RunAsync(
        CommandLineArgs args, OneKvmOptions options, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken, Action? listening = null)
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
        var sources = Sources(options.Serve, context, reservations, options.Cgroups);
        var build = BuildVersion.Of(typeof(ServeCommand).Assembly);
        var registry = Prometheus.Metrics.NewCustomRegistry();
        Prometheus.DotNetStats.Register(registry); // process_* and dotnet_* (GC, memory), as of each snapshot's exposition
        using var cache = new ExpositionCache(new SnapshotExporter(registry, options.Serve.OpenNebulaLibvirtMetrics, build.Version, build.Revision));
        await using var server = new MetricsHttpServer(
            new HttpServerOptions(listen, web, [.. sources.Probes.Select(p => p.Name)], build), cache);
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
        _ = cache.Update(SnapshotSet.Empty); // scrapes before the first tick get the build info
        using var pipeline = Updates(new ProbePipeline(TaskPoolScheduler.Default, time), sources)
            .Scan(SnapshotSet.Empty, (set, update) => update(set))
            .StartWith(SnapshotSet.Empty)
            .Pairwise()
            .Subscribe(pair =>
            {
                _ = cache.Update(pair.Current); // built off this thread; a failed build keeps the previous exposition
                LogChanges(pair.Previous, pair.Current, stderr);
            });
        listening?.Invoke();
        await stderr.WriteLineAsync($"onekvm-probe serve: listening on {string.Join(", ", listen)} ({(web.Tls is null ? "http" : "https")}" +
            $"{(web.BasicAuthUsers.Count > 0 ? ", basic auth" : "")}; /metrics); probes " +
            string.Join(", ", sources.Probes.Select(p => $"{p.Name} every {p.Period.TotalSeconds:0.###} s")));
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

    /// <summary>
    /// The libvirt check and every category not excluded, each on its own interval for its health only,
    /// and the host sample on one timer for the exporter's families (<c>vm_stats</c>, and <c>cgroups</c>
    /// when <paramref name="reservations"/> are given; the host families with them), every the shortest
    /// of their intervals. With both excluded there is no host sample.
    /// </summary>
    public static ServeSources Sources(
        ServeOptions serve, ProbeContext context, Probes.Audit.HostReservations? reservations = null, Probes.Audit.ShareAuditSettings? audit = null)
    {
        TimeSpan Interval(string name) => TimeSpan.FromSeconds(serve.Intervals.GetValueOrDefault(name, serve.IntervalSeconds));
        bool Included(string name) => !serve.ExcludeCategories.Contains(name, StringComparer.Ordinal);
        var categories = CategoryCatalog.All.Where(c => Included(c.Name)).Select(c => CategorySources.For(c, context, Interval(c.Name))).ToList();
        var exporter = new ExporterSettings(reservations ?? new Probes.Audit.HostReservations(null, null), audit ?? new Probes.Audit.ShareAuditSettings(),
            VmStats: Included(ExporterSources.VmStats), Cgroups: reservations is not null && Included(ExporterSources.Cgroups));
        var periods = new[] { (exporter.VmStats, ExporterSources.VmStats), (exporter.Cgroups, ExporterSources.Cgroups) }
            .Where(p => p.Item1).Select(p => Interval(p.Item2)).ToList();
        // Neither exported: no host sample, so no host families either (every family has a probe that says it is there).
        var host = periods.Count > 0 ? ExporterSources.HostSource(context, periods.Min()) : null;
        return new ServeSources(LibvirtLiveness.Source(context.Libvirt, Interval(LibvirtLiveness.SourceName)), categories, host, exporter);
    }

    /// <summary>Every source's ticks as updates of the snapshot set: health statuses, and the host ticks' projections.</summary>
    public static IObservable<Func<SnapshotSet, SnapshotSet>> Updates(ProbePipeline pipeline, ServeSources sources)
    {
        var health = pipeline.Statuses([sources.Libvirt]).Merge(pipeline.Statuses(sources.Categories))
            .Select(status => (Func<SnapshotSet, SnapshotSet>)(set => set.With(status)));
        if (sources.Host is null) return health;
        var exported = HostProjection.Updates(pipeline.Ticks(sources.Host), sources.Exporter)
            .Select(update => (Func<SnapshotSet, SnapshotSet>)(set => set.With(update)));
        return health.Merge(exported);
    }
}

/// <summary>What serve runs: health-only sources (libvirt, categories) and the host sample its families are projected from.</summary>
/// <param name="Libvirt">The libvirt check.</param>
/// <param name="Categories">The categories not excluded (their payloads are dropped: health only).</param>
/// <param name="Host">The host sample, on the shortest interval of the exporter's probes; null when both are excluded.</param>
/// <param name="Exporter">Which families the host sample gives, with the reservations and audit settings.</param>
public sealed record ServeSources(
    ProbeSource<LibvirtAlive> Libvirt, IReadOnlyList<ProbeSource<CategoryPayload>> Categories, ProbeSource<HostTick>? Host, ExporterSettings Exporter)
{
    /// <summary>Every source that runs (the host sample once).</summary>
    public IReadOnlyList<IProbeSource> All => [Libvirt, .. Categories, .. Host is null ? Array.Empty<IProbeSource>() : [Host]];

    /// <summary>The <c>probe</c> label values serve reports, each with the period it is refreshed on.</summary>
    public IReadOnlyList<(string Name, TimeSpan Period)> Probes =>
    [
        (Libvirt.Name, Libvirt.Period),
        .. Categories.Select(c => (c.Name, c.Period)),
        .. Host is not null && Exporter.VmStats ? [(ExporterSources.VmStats, Host.Period)] : Array.Empty<(string, TimeSpan)>(),
        .. Host is not null && Exporter.Cgroups ? [(ExporterSources.Cgroups, Host.Period)] : Array.Empty<(string, TimeSpan)>(),
    ];
}
