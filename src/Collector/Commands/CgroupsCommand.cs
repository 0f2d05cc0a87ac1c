using OneKvm.Cgroups;
using OneKvm.Cgroups.Layout;
using OneKvm.Collector.Commands.Cgroups;
using OneKvm.Collector.Configuration;
using OneKvm.Libvirt;
using OneKvm.Probes;
using OneKvm.Probes.Audit;

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

    /// <summary>Something could not be read: no cgroups, libvirt unreachable, a running VM's cgroup missing, a --vm domain not running. Wins over <see cref="FindingsExit"/>.</summary>
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

        var time = TimeProvider.System;
        ILibvirtClient libvirt;
        try
        {
            libvirt = LibvirtClientFactory.Create(options.Libvirt, time);
        }
        catch (LibvirtException e)
        {
            await stderr.WriteLineAsync($"onekvm-probe: cgroups: {e.Message}");
            return UnreadableExit;
        }
        await using var connection = libvirt;
        var reservations = new HostReservations(options.Host.ReservedCpu, options.Host.ReservedMem);
        // One host sample per read: the domains' stats, the kernel files and the cgroups of the same instant.
        var context = ContextFactory.Create(options, libvirt, TimeSpan.Zero, time, stderr);
        var cgroups = context.Host.Cgroups;
        CgroupReport report;
        IReadOnlyList<ShareFix>? fixes = null;
        try
        {
            var first = await cgroups.ReadAsync(cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(settings.WindowSeconds), time, cancellationToken);
            report = CgroupReport.From(first, await cgroups.ReadAsync(cancellationToken, notBefore: time.GetUtcNow()), settings, reservations);
            if (args.Option("vm") is { } only)
            {
                // Entitlement was computed over every VM; only the listing and --fix are narrowed.
                var names = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
                var notRunning = names.Where(n => !report.Vms.Any(v => v.Domain == n)).Order(StringComparer.Ordinal).ToList();
                if (notRunning.Count > 0)
                {
                    await stderr.WriteLineAsync(
                        $"onekvm-probe: cgroups: --vm: {string.Join(", ", notRunning.Select(n => $"'{n}'"))} {(notRunning.Count == 1 ? "is" : "are")} not a running domain");
                    return UnreadableExit;
                }
                report = report with { Vms = report.Vms.Where(v => names.Contains(v.Domain)).ToList() };
            }
            if (args.Has("fix")) fixes = await new ShareFixer(libvirt, time).FixAsync(report, cancellationToken);
        }
        catch (CgroupNotMountedException e)
        {
            await stderr.WriteLineAsync($"onekvm-probe: {e.Message}");
            return UnreadableExit;
        }
        catch (Exception e) when (e is LibvirtException or ProbeException or KernelFileException or FormatException or IOException or UnauthorizedAccessException)
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
