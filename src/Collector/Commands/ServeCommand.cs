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
        ListenAddress listen;
        try
        {
            listen = ListenAddress.Parse(options.Serve.Listen);
        }
        catch (FormatException e)
        {
            await stderr.WriteLineAsync($"onekvm-probe: {e.Message}");
            return 2;
        }

        var time = TimeProvider.System;
        var context = ContextFactory.Create(options, time);
        var auditor = new Probes.Audit.CgroupAuditReader(options.Paths, context.Virsh, time,
            new Probes.Audit.HostReservations(options.Host.ReservedCpu, options.Host.ReservedMem));
        var sources = Sources(options.Serve, context, auditor, options.Cgroups).ToList();
        var version = typeof(ServeCommand).Assembly.GetName().Version?.ToString() ?? "unknown";
        using var cache = new ExpositionCache(new SnapshotExporter(Prometheus.Metrics.NewCustomRegistry(), options.Serve.OpenNebulaLibvirtMetrics, version));
        await using var server = new MetricsHttpServer(listen, cache);
        try
        {
            await server.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await stderr.WriteLineAsync($"onekvm-probe serve: cannot listen on {listen}: {e.Message}");
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
        await stderr.WriteLineAsync($"onekvm-probe serve: listening on {listen} (/metrics); probes " +
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

    /// <summary>One stderr line when a probe starts failing, fails differently, or recovers (not on every tick).</summary>
    private static void LogChanges(SnapshotSet previous, SnapshotSet current, TextWriter log)
    {
        foreach (var (name, now) in current.Latest)
        {
            var before = previous.Latest.GetValueOrDefault(name);
            if (now.Error == before?.Error) continue;
            log.WriteLine(now.Success
                ? $"onekvm-probe serve: {name}: recovered"
                : $"onekvm-probe serve: {name}: failed: {now.Error}");
        }
    }

    /// <summary>The libvirt check plus every category not excluded, each with its interval.</summary>
    public static IEnumerable<ProbeSource> Sources(
        ServeOptions serve, ProbeContext context, Probes.Audit.CgroupAuditReader? auditor = null, Probes.Audit.ShareAuditSettings? audit = null)
    {
        TimeSpan Interval(string name) => TimeSpan.FromSeconds(serve.Intervals.GetValueOrDefault(name, serve.IntervalSeconds));
        yield return LibvirtLiveness.Source(context.Virsh, Interval(LibvirtLiveness.SourceName));
        foreach (var category in CategoryCatalog.All)
        {
            if (serve.ExcludeCategories.Contains(category.Name, StringComparer.Ordinal)) continue;
            yield return CategorySources.For(category, context, Interval(category.Name));
        }
        if (!serve.ExcludeCategories.Contains(ExporterSources.VmStats, StringComparer.Ordinal))
            yield return ExporterSources.VmStatsSource(context, Interval(ExporterSources.VmStats));
        if (auditor is not null && !serve.ExcludeCategories.Contains(ExporterSources.Cgroups, StringComparer.Ordinal))
            yield return ExporterSources.CgroupsSource(auditor, audit ?? new Probes.Audit.ShareAuditSettings(), Interval(ExporterSources.Cgroups));
    }
}
