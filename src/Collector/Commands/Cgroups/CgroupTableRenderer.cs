using System.Globalization;
using System.Text;
using OneKvm.Cgroups.Layout;
using OneKvm.Probes.Audit;

namespace OneKvm.Collector.Commands.Cgroups;

/// <summary>The human-readable report: host summary, one row per VM, the cgroup tree, fixes, warnings.</summary>
public static class CgroupTableRenderer
{
    private static readonly string[] Header = ["DOMAIN", "VMID", "CPU", "VCPUS", "PROMISED", "APPLIED", "DRIFT", "USED", "DEMAND", "ENTITLED", "FLAGS"];

    public static string Render(CgroupReport report, IReadOnlyList<ShareFix>? fixes, CgroupTreeNode? tree)
    {
        var text = new StringBuilder();
        var host = report.Host;
        text.Append("cgroups:   ").Append(Describe(host.Layout)).Append('\n');
        text.Append(Inv($"capacity:  TOTALCPU {host.TotalCpu}, RESERVED_CPU {host.ReservedCpu ?? "-"}, MAX_CPU {host.MaxCpu}; "))
            .Append(Inv($"TOTALMEMORY {host.TotalMemoryKiB} KiB, RESERVED_MEM {host.ReservedMem ?? "-"}, MAX_MEM {host.MaxMemoryKiB} KiB\n"));
        text.Append(Inv($"allocated: CPU {host.AllocatedCpu} of {host.MaxCpu}, MEMORY {host.AllocatedMemoryKiB} KiB of {host.MaxMemoryKiB} KiB ({report.Vms.Count} running domains)\n"));
        if (host.ParentMemoryCgroup is { } parent)
        {
            var limit = host.ParentMemoryLimitBytes is { } b ? Inv($"limit {b / 1024} KiB") : "no memory limit";
            var meaning = host.ParentMemoryLimitCheck switch
            {
                "none" => "only oned's accounting keeps RESERVED_MEM free",
                "matches" => "matches MAX_MEM",
                "below_max_mem" => "below MAX_MEM: oned may place VMs this cgroup cannot hold",
                _ => "above MAX_MEM: the kernel does not enforce RESERVED_MEM",
            };
            text.Append(Inv($"memory:    {parent}: {limit} ({meaning})\n"));
        }
        if (report.Audit is { } audit)
        {
            var nonVm = audit.NonVmCores is { } n ? Inv($" - {n:0.00} non-VM load") : " (non-VM load unknown)";
            text.Append(Inv($"window:    {audit.WindowSeconds:0.00} s; capacity {audit.CapacityCores:0.00} cores for VMs ({audit.HostCpus:0.##} CPUs{nonVm}), shared by promised share, capped by vCPUs and demand\n"));
        }
        if (fixes is not null) text.Append("shares below as found, before --fix\n");
        text.Append('\n');

        var rows = new List<string[]> { Header };
        foreach (var vm in report.Vms)
        {
            rows.Add(
            [
                vm.Domain,
                vm.VmId?.ToString(CultureInfo.InvariantCulture) ?? "-",
                vm.Cpu is { } c ? c.ToString("0.###", CultureInfo.InvariantCulture) + (vm.CpuSource == "vm.xml" ? "" : "*") : "-",
                vm.Vcpus.ToString(CultureInfo.InvariantCulture),
                vm.PromisedShares?.ToString(CultureInfo.InvariantCulture) ?? "-",
                vm.AppliedShares?.ToString(CultureInfo.InvariantCulture) ?? "-",
                vm.Drift switch { true => "yes", false => "no", null => "-" },
                Cores(vm.Verdict?.UsedCores),
                Cores(vm.Verdict?.DemandCores),
                Cores(vm.Verdict?.EntitledCores),
                Flags(vm),
            ]);
        }
        AppendColumns(text, rows);
        if (report.Vms.Any(v => v.CpuSource == "domain-xml-shares"))
            text.Append("* CPU from the domain XML <shares> (vm.xml not found)\n");

        if (report.Audit is { Transfers.Count: > 0 } withTransfers)
        {
            text.Append("\nwho takes whose time:\n");
            foreach (var t in withTransfers.Transfers)
            {
                var taker = report.Vms.FirstOrDefault(v => v.Domain == t.From);
                var why = t.ByDrift && taker is not null
                    ? Inv($" (drift: applied {taker.AppliedShares}, promised {taker.PromisedShares})")
                    : "";
                text.Append(Inv($"  {t.From}{why} takes {t.Cores:0.00} cores from {t.To}\n"));
            }
        }

        if (tree is not null)
        {
            text.Append('\n').Append(tree.Name).Append(tree.Note is null ? "" : "  (" + tree.Note + ")").Append('\n');
            AppendTree(text, tree.Children, "");
        }
        if (fixes is not null)
        {
            text.Append(fixes.Count == 0 ? "\nfix: no drifted share to fix\n" : "\nfix (read back from the kernel):\n");
            foreach (var f in fixes)
            {
                text.Append(Inv($"  {f.Domain}: {f.Before?.ToString(CultureInfo.InvariantCulture) ?? "?"} -> {f.After?.ToString(CultureInfo.InvariantCulture) ?? "?"} (target {f.Target})"))
                    .Append(f.Error is null ? "" : ": FAILED: " + f.Error).Append('\n');
            }
        }
        foreach (var vm in report.Vms.Where(v => v.Error is not null && !v.Vanished)) text.Append("error: ").Append(vm.Domain).Append(": ").Append(vm.Error).Append('\n');
        foreach (var w in report.Warnings) text.Append("warning: ").Append(w).Append('\n');
        return text.ToString();
    }

    /// <summary>One line on the mode: hybrid/v1/v2, where cpu is, joined or apart, libvirt's cgroup2 use.</summary>
    public static string Describe(CgroupLayout layout)
    {
        var mode = layout.Mode switch
        {
            CgroupMode.V1 => "v1 (legacy)",
            CgroupMode.V2 => "v2 (unified)",
            _ => $"hybrid (v1 controllers, cgroup2 at {layout.V2!.HostMountPoint})",
        };
        var cpu = layout.Cpu is { } h
            ? h.Version == CgroupVersion.V1
                ? $"cpu on v1 {h.HostMountPoint} (cpu.shares), cpuacct {(layout.CpuJoinedWithCpuacct ? "joined" : layout.Cpuacct is null ? "not mounted" : "apart")}"
                : $"cpu on cgroup2 {h.HostMountPoint} (cpu.weight)"
            : "no cpu controller";
        var libvirt = layout.V2 is null ? "" : $"; libvirt uses cgroup2: {(layout.LibvirtUsesV2 ? "yes" : "no (cgroup.controllers empty)")}";
        return $"{mode}; {cpu}{libvirt}; OpenNebula CGROUPS_VERSION={layout.OpenNebulaCgroupsVersion}";
    }

    private static string Flags(VmCgroupReport vm)
    {
        var flags = new List<string>();
        if (vm.Verdict is { } v)
        {
            if (v.Starved) flags.Add("starved");
            if (v.Noisy) flags.Add("noisy");
            if (v.Idle) flags.Add("idle");
            flags.AddRange(CgroupJsonRenderer.Signals(v.Wanted).Select(s => "wants:" + s));
        }
        if (vm.Error is not null) flags.Add(vm.Vanished ? "vanished" : "unreadable");
        return string.Join(',', flags);
    }

    private static string Cores(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "-";

    private static void AppendColumns(StringBuilder text, List<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            var line = new StringBuilder();
            for (var i = 0; i < row.Length; i++) line.Append(row[i].PadRight(widths[i] + 2));
            text.Append(line.ToString().TrimEnd()).Append('\n');
        }
    }

    private static void AppendTree(StringBuilder text, IReadOnlyList<CgroupTreeNode> nodes, string indent)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            var last = i == nodes.Count - 1;
            text.Append(indent).Append(last ? "`-- " : "|-- ").Append(nodes[i].Name);
            if (nodes[i].Note is { } note) text.Append("  ").Append(note);
            text.Append('\n');
            AppendTree(text, nodes[i].Children, indent + (last ? "    " : "|   "));
        }
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
