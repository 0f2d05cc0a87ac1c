using OneKvm.Cgroups;
using OneKvm.Cgroups.Layout;
using OneKvm.Collector.Commands.Cgroups;
using OneKvm.Collector.Configuration;
using OneKvm.Probes.Audit;
using OneKvm.Probes.Virsh;

namespace OneKvm.Collector.Commands;

/// <summary>
/// <c>onekvm-probe cgroups [--format table|json] [--fix]</c>: per VM the expected and applied CPU share,
/// drift, fair-share entitlement and measured use; host capacity after reservations. Exit 0 when no
/// VM drifts (or every drift was fixed), 1 when drift remains or something could not be read, 2 on usage.
/// </summary>
public static class CgroupsCommand
{
    public static async Task<int> RunAsync(
        CommandLineArgs args, OneKvmOptions options, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var format = args.Option("format") ?? "table";
        if (format is not ("table" or "json"))
        {
            await stderr.WriteLineAsync($"onekvm-probe: cgroups: unknown --format '{format}' (table or json)");
            return 2;
        }

        var time = TimeProvider.System;
        var virsh = new VirshCli(options.Libvirt);
        var auditor = new CgroupAuditor(options.Paths, virsh, time, options.Cgroups,
            new HostReservations(options.Host.ReservedCpu, options.Host.ReservedMem));
        CgroupReport report;
        IReadOnlyList<ShareFix>? fixes = null;
        try
        {
            report = await auditor.CollectAsync(cancellationToken);
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
            return 1;
        }
        catch (Exception e) when (e is VirshException or KernelFileException or FormatException or IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"onekvm-probe: cgroups: {e.Message}");
            return 1;
        }

        // Render completely before writing, so a failure never leaves half a report.
        var text = format == "json"
            ? CgroupJsonRenderer.Render(report, fixes)
            : CgroupTableRenderer.Render(report, fixes, CgroupTree.Build(report));
        await stdout.WriteAsync(text);
        await stdout.FlushAsync(cancellationToken);

        var unreadable = report.Vms.Any(v => v.Error is not null);
        var drift = fixes is null ? report.Vms.Any(v => v.Drift == true) : fixes.Any(f => !f.Fixed);
        return unreadable || drift ? 1 : 0;
    }
}
