using System.Globalization;
using OneKvm.Cgroups;
using OneKvm.Cgroups.Layout;
using OneKvm.Collector.Commands.Cgroups;
using OneKvm.Collector.Configuration;
using OneKvm.Probes.Audit;
using OneKvm.Probes.Virsh;

namespace OneKvm.Collector.Commands;

/// <summary>
/// <c>onekvm-probe cgroups [--window SECONDS] [--format table|json] [--fix] [--vm LIST]</c>: two reads
/// of the host <c>--window</c> apart, audited by <see cref="ShareAudit"/>; per VM the promised and
/// applied CPU share, drift, use, entitlement, starved/noisy and who takes whose time.
/// Exit status: <see cref="Clean"/>, <see cref="FindingsExit"/>, <see cref="UsageExit"/>, <see cref="UnreadableExit"/>.
/// </summary>
public static class CgroupsCommand
{
    /// <summary>No drift (or every drift fixed), nobody starved or noisy, everything read.</summary>
    public const int Clean = 0;

    /// <summary>Drift left, or a VM starved or noisy.</summary>
    public const int FindingsExit = 1;

    /// <summary>Bad command line.</summary>
    public const int UsageExit = 2;

    /// <summary>Something could not be read: no cgroups, libvirt unreachable, a running VM's cgroup missing. Wins over <see cref="FindingsExit"/>.</summary>
    public const int UnreadableExit = 3;

    public static async Task<int> RunAsync(
        CommandLineArgs args, OneKvmOptions options, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var format = args.Option("format") ?? "table";
        if (format is not ("table" or "json"))
        {
            await stderr.WriteLineAsync($"onekvm-probe: cgroups: unknown --format '{format}' (table or json)");
            return UsageExit;
        }
        var settings = options.Cgroups;
        if (!(settings.WindowSeconds > 0) || settings.WindowSeconds > 3600)
        {
            await stderr.WriteLineAsync(
                $"onekvm-probe: cgroups: --window {settings.WindowSeconds.ToString(CultureInfo.InvariantCulture)}: seconds between the two samples, more than 0 and at most 3600");
            return UsageExit;
        }

        var time = TimeProvider.System;
        var virsh = new VirshCli(options.Libvirt);
        var reservations = new HostReservations(options.Host.ReservedCpu, options.Host.ReservedMem);
        var reader = new CgroupAuditReader(options.Paths, virsh, time, reservations);
        CgroupReport report;
        IReadOnlyList<ShareFix>? fixes = null;
        try
        {
            var first = await reader.ReadAsync(cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(settings.WindowSeconds), time, cancellationToken);
            report = CgroupReport.From(first, await reader.ReadAsync(cancellationToken), settings, reservations);
            if (args.Option("vm") is { } only)
            {
                // Entitlement was computed over every VM; only the listing and --fix are narrowed.
                var names = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
                report = report with { Vms = report.Vms.Where(v => names.Contains(v.Domain)).ToList() };
            }
            if (args.Has("fix")) fixes = await new ShareFixer(virsh, time).FixAsync(report, cancellationToken);
        }
        catch (CgroupNotMountedException e)
        {
            await stderr.WriteLineAsync($"onekvm-probe: {e.Message}");
            return UnreadableExit;
        }
        catch (Exception e) when (e is VirshException or KernelFileException or FormatException or IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"onekvm-probe: cgroups: {e.Message}");
            return UnreadableExit;
        }

        // Render completely before writing, so a failure never leaves half a report.
        var text = format == "json"
            ? CgroupJsonRenderer.Render(report, fixes)
            : CgroupTableRenderer.Render(report, fixes, CgroupTree.Build(report));
        await stdout.WriteAsync(text);
        await stdout.FlushAsync(cancellationToken);
        foreach (var vm in report.Vms.Where(v => v.Error is not null && !v.Vanished))
            await stderr.WriteLineAsync($"onekvm-probe: cgroups: {vm.Domain}: {vm.Error}");

        if (report.Unreadable) return UnreadableExit;
        var driftLeft = fixes is null ? report.Vms.Any(v => v.Drift == true) : fixes.Any(f => !f.Fixed);
        var unfair = report.Vms.Any(v => v.Verdict is { Starved: true } or { Noisy: true });
        return driftLeft || unfair ? FindingsExit : Clean;
    }
}
