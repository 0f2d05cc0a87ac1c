using System.Globalization;

namespace OneKvm.Probes.Host.Kernel;

/// <summary>
/// Parses <c>/proc/meminfo</c> and the per-node <c>/sys/devices/system/node/nodeN/meminfo</c>:
/// <code>
/// MemTotal:        8131756 kB
/// HugePages_Total:       0
/// Node 0 MemTotal:       5335244 kB
/// </code>
/// Values are KiB (the kernel's <c>kB</c>), or plain counts for the <c>HugePages_*</c> keys. A
/// <c>Node N </c> prefix is dropped, so both files give the same keys.
/// </summary>
public static class MemInfoParser
{
    /// <summary>Parses every <c>Key: value [kB]</c> line into a map; a malformed line is a <see cref="FormatException"/>.</summary>
    public static IReadOnlyDictionary<string, ulong> Parse(string text, string source = "meminfo")
    {
        var values = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith("Node ", StringComparison.Ordinal))
            {
                var afterId = line.IndexOf(' ', 5);
                line = afterId < 0 ? "" : line[(afterId + 1)..].TrimStart();
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var fields = colon < 0 ? [] : line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (colon <= 0 || fields.Length is < 1 or > 2 || (fields.Length == 2 && fields[1] != "kB")
                || !ulong.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                throw new FormatException($"{source}:{lineNumber}: malformed meminfo line '{rawLine}'");
            }
            values[line[..colon]] = value;
        }
        return values;
    }
}
