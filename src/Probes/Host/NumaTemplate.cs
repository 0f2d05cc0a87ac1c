using System.Globalization;
using OneKvm.Probes.Host.Kernel;
using OneKvm.Probes.OpenNebula;

namespace OneKvm.Probes.Host;

/// <summary>The NUMA vectors of SYSTEM_HOST (<c>numa_host.rb</c>) and MONITOR_HOST (<c>numa_usage.rb</c>).</summary>
internal static class NumaTemplate
{
    /// <summary><c>HUGEPAGE [NODE_ID, SIZE, PAGES]</c>, <c>CORE [NODE_ID, ID, CPUS]</c>, <c>MEMORY_NODE [NODE_ID, TOTAL, DISTANCE]</c>.</summary>
    public static void WriteTopology(TemplateWriter writer, IReadOnlyList<NumaNode> nodes)
    {
        foreach (var node in nodes)
        {
            var id = S(node.Id);
            foreach (var pool in node.HugePages)
                writer.Vector("HUGEPAGE", ("NODE_ID", id), ("SIZE", S(pool.SizeKib)), ("PAGES", S(pool.Pages)));
            foreach (var core in node.Cores)
                writer.Vector("CORE", ("NODE_ID", id), ("ID", S(core.CoreId)), ("CPUS", string.Join(',', core.Cpus.Select(S))));
            if (node.MemTotalKib is { } total)
                writer.Vector("MEMORY_NODE", ("NODE_ID", id), ("TOTAL", S(total)), ("DISTANCE", string.Join(' ', node.NodesByDistance.Select(S))));
        }
    }

    /// <summary><c>HUGEPAGE [NODE_ID, SIZE, FREE]</c>, <c>MEMORY_NODE [NODE_ID, FREE, USED]</c>.</summary>
    public static void WriteUsage(TemplateWriter writer, IReadOnlyList<NumaNode> nodes)
    {
        foreach (var node in nodes)
        {
            var id = S(node.Id);
            foreach (var pool in node.HugePages)
                writer.Vector("HUGEPAGE", ("NODE_ID", id), ("SIZE", S(pool.SizeKib)), ("FREE", S(pool.FreePages)));
            if (node.MemFreeKib is { } free && node.MemUsedKib is { } used)
                writer.Vector("MEMORY_NODE", ("NODE_ID", id), ("FREE", S(free)), ("USED", S(used)));
        }
    }

    private static string S(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string S(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
