using System.Globalization;

namespace OneKvm.Probes.Host.Kernel;

/// <summary>
/// Parses the kernel's CPU list format (<c>cpulist</c>, <c>online</c>, <c>thread_siblings_list</c>,
/// <c>cpuset.cpus</c>): comma-separated ids and inclusive ranges, e.g. <c>0-3,8,10-11</c>. An empty
/// string is the empty set.
/// </summary>
public static class CpuListParser
{
    /// <summary>The ids in ascending order without duplicates; malformed text is a <see cref="FormatException"/> naming <paramref name="source"/>.</summary>
    public static IReadOnlyList<int> Parse(string text, string source = "cpulist")
    {
        var ids = new SortedSet<int>();
        foreach (var part in text.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            var first = ParseId(dash < 0 ? part : part[..dash], source, text);
            var last = dash < 0 ? first : ParseId(part[(dash + 1)..], source, text);
            if (last < first || last - first > 65536) throw new FormatException($"{source}: bad CPU range '{part}' in '{text.Trim()}'");
            for (var id = first; id <= last; id++) ids.Add(id);
        }
        return [.. ids];
    }

    private static int ParseId(string value, string source, string text) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new FormatException($"{source}: '{value}' is not a CPU id in '{text.Trim()}'");
}
