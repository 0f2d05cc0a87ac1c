using System.Globalization;

using OneKvm.Cgroups;

namespace OneKvm.Probes.Host.Kernel;

/// <summary>
/// Reads the NUMA topology from <c>&lt;sys&gt;/devices/system/node/node&lt;N&gt;/</c>: <c>meminfo</c>,
/// <c>distance</c>, <c>hugepages/hugepages-&lt;size&gt;kB/{nr,free}_hugepages</c> and
/// <c>cpu&lt;X&gt;/topology/{core_id,thread_siblings_list}</c> (kernel doc
/// <c>ABI/stable/sysfs-devices-node</c>, <c>admin-guide/cputopology.rst</c>). A kernel without NUMA
/// support has no node directory: the result is then empty.
/// </summary>
public static class NumaReader
{
    public static IReadOnlyList<NumaNode> Read(HostPaths paths)
    {
        var root = paths.SysPath("devices", "system", "node");
        if (!Directory.Exists(root)) return [];
        var ids = Directory.EnumerateDirectories(root, "node*")
            .Select(d => NumericSuffix(Path.GetFileName(d), "node"))
            .OfType<int>()
            .Order()
            .ToList();
        return [.. ids.Select(id => ReadNode(Path.Join(root, $"node{id}"), id, ids))];
    }

    private static NumaNode ReadNode(string dir, int id, IReadOnlyList<int> allIds)
    {
        ulong? total = null, free = null, used = null;
        var meminfoPath = Path.Join(dir, "meminfo");
        if (KernelFile.TryRead(meminfoPath, out var meminfo))
        {
            var values = MemInfoParser.Parse(meminfo, meminfoPath);
            total = values.TryGetValue("MemTotal", out var t) ? t : null;
            free = values.TryGetValue("MemFree", out var f) ? f : null;
            used = values.TryGetValue("MemUsed", out var u) ? u : null;
        }
        return new NumaNode(id, total, free, used, ReadHugePages(dir), ReadCores(dir), ReadDistances(dir, allIds));
    }

    /// <summary>
    /// Parses a <c>distance</c> row (<c>10 21</c>): the n-th number is the distance to the n-th online
    /// node in id order, i.e. to <paramref name="nodeIds"/>[n].
    /// </summary>
    public static IReadOnlyList<(int NodeId, int Distance)> ParseDistances(string text, IReadOnlyList<int> nodeIds, string source = "distance")
    {
        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var distances = new List<(int, int)>();
        for (var i = 0; i < fields.Length; i++)
        {
            if (!int.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out var distance))
                throw new FormatException($"{source}: '{fields[i]}' is not a distance");
            distances.Add((fields.Length == nodeIds.Count ? nodeIds[i] : i, distance));
        }
        return distances;
    }

    private static IReadOnlyList<(int, int)> ReadDistances(string dir, IReadOnlyList<int> allIds)
    {
        var path = Path.Join(dir, "distance");
        return KernelFile.TryRead(path, out var text) ? ParseDistances(text, allIds, path) : [];
    }

    private static IReadOnlyList<HugePagePool> ReadHugePages(string dir)
    {
        var hugeDir = Path.Join(dir, "hugepages");
        if (!Directory.Exists(hugeDir)) return [];
        var pools = new List<HugePagePool>();
        foreach (var poolDir in Directory.EnumerateDirectories(hugeDir, "hugepages-*kB"))
        {
            var name = Path.GetFileName(poolDir);
            if (!ulong.TryParse(name.AsSpan(10, name.Length - 12), NumberStyles.None, CultureInfo.InvariantCulture, out var sizeKib)) continue;
            var nr = ReadCount(Path.Join(poolDir, "nr_hugepages"));
            var free = ReadCount(Path.Join(poolDir, "free_hugepages"));
            if (nr is null || free is null) continue;
            pools.Add(new HugePagePool(sizeKib, nr.Value, free.Value));
        }
        return [.. pools.OrderBy(p => p.SizeKib)];
    }

    private static List<NumaCore> ReadCores(string dir)
    {
        var cpuIds = Directory.EnumerateFileSystemEntries(dir, "cpu*")
            .Select(e => NumericSuffix(Path.GetFileName(e), "cpu"))
            .OfType<int>()
            .Order();
        var seen = new HashSet<int>();
        var cores = new List<NumaCore>();
        foreach (var cpu in cpuIds)
        {
            if (seen.Contains(cpu)) continue;
            var topology = Path.Join(dir, $"cpu{cpu}", "topology");
            var coreIdText = KernelFile.ReadValueOrNull(Path.Join(topology, "core_id"));
            var siblingsPath = Path.Join(topology, "thread_siblings_list");
            var siblingsText = KernelFile.ReadValueOrNull(siblingsPath);
            if (coreIdText is null || siblingsText is null) continue; // offline CPU: no topology
            if (!int.TryParse(coreIdText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var coreId))
                throw new FormatException($"{Path.Join(topology, "core_id")}: '{coreIdText}' is not a core id");
            var siblings = CpuListParser.Parse(siblingsText, siblingsPath);
            if (!siblings.Contains(cpu)) siblings = [.. siblings.Append(cpu).Order()];
            foreach (var s in siblings) seen.Add(s);
            cores.Add(new NumaCore(coreId, siblings));
        }
        return cores;
    }

    private static ulong? ReadCount(string path)
    {
        if (KernelFile.ReadValueOrNull(path) is not { } text) return null;
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{path}: '{text}' is not a page count");
    }

    private static int? NumericSuffix(string name, string prefix) =>
        name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.Ordinal)
        && int.TryParse(name.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : null;
}
