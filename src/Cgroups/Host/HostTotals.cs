using System.Globalization;

namespace OneKvm.Cgroups.Host;

/// <summary>
/// The two host totals oned's reservations apply to: <c>TOTALCPU</c> (100 × online CPUs) and
/// <c>TOTALMEMORY</c> (<c>MemTotal</c> KiB). A minimal reader for the cgroups report; the host probes
/// own the full <c>/proc/meminfo</c> and <c>/proc/cpuinfo</c> parsing.
/// </summary>
public sealed record HostTotals(long TotalCpu, long TotalMemoryKiB)
{
    public static HostTotals Read(HostPaths paths)
    {
        var onlinePath = paths.SysPath("devices", "system", "cpu", "online");
        var online = CountCpuList(KernelFile.Read(onlinePath), onlinePath);
        var meminfoPath = paths.ProcPath("meminfo");
        return new HostTotals(online * 100L, MemTotalKiB(KernelFile.Read(meminfoPath), meminfoPath));
    }

    /// <summary>Counts a kernel CPU list: <c>0-3,8,10-11</c> → 7.</summary>
    public static int CountCpuList(string text, string source)
    {
        var count = 0;
        foreach (var range in text.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = range.Split('-');
            if (bounds.Length > 2
                || !int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                || !int.TryParse(bounds[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var to)
                || to < from)
            {
                throw new FormatException($"{source}: malformed CPU list '{text.Trim()}'");
            }
            count += to - from + 1;
        }
        return count > 0 ? count : throw new FormatException($"{source}: empty CPU list");
    }

    /// <summary>The <c>MemTotal:       16318768 kB</c> line of <c>/proc/meminfo</c>, in KiB.</summary>
    public static long MemTotalKiB(string meminfo, string source)
    {
        foreach (var line in meminfo.Split('\n'))
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal)) continue;
            var fields = line["MemTotal:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 1 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kib)) return kib;
            throw new FormatException($"{source}: malformed MemTotal line '{line}'");
        }
        throw new FormatException($"{source}: no MemTotal line");
    }
}
