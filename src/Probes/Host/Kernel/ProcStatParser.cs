using System.Globalization;

using OneKvm.Cgroups;

namespace OneKvm.Probes.Host.Kernel;

/// <summary>
/// Parses <c>/proc/stat</c> (proc(5)):
/// <code>
/// cpu  12525 0 9554 276669 1910 0 210 58 0 0
/// cpu0 5342 0 3883 141107 79 0 43 23 0 0
/// btime 1795633722
/// </code>
/// Fields after <c>cpu</c>: user nice system idle iowait irq softirq steal guest guest_nice (ticks).
/// Kernels before 2.6.11 lack steal and later fields; missing trailing fields read as 0.
/// </summary>
public static class ProcStatParser
{
    /// <summary>Parses the text; a missing or malformed <c>cpu</c> line is a <see cref="FormatException"/> naming the source and line.</summary>
    public static ProcStat Parse(string text, string source = "stat")
    {
        CpuTicks? aggregate = null;
        var online = 0;
        long? bootTime = null;
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (!line.StartsWith("cpu", StringComparison.Ordinal) && !line.StartsWith("btime ", StringComparison.Ordinal)) continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields[0] == "btime")
            {
                bootTime = long.TryParse(fields.ElementAtOrDefault(1), NumberStyles.None, CultureInfo.InvariantCulture, out var b)
                    ? b
                    : throw new FormatException($"{source}:{lineNumber}: malformed btime line '{line}'");
            }
            else if (fields[0] == "cpu")
            {
                aggregate = ParseTicks(fields, source, lineNumber, line);
            }
            else if (fields[0].Length > 3 && fields[0].AsSpan(3).IndexOfAnyExceptInRange('0', '9') < 0)
            {
                online++;
            }
        }
        if (aggregate is null) throw new FormatException($"{source}: no aggregate 'cpu' line");
        return new ProcStat(aggregate, online, bootTime);
    }

    /// <summary>Reads <c>&lt;proc&gt;/stat</c>.</summary>
    public static ProcStat Read(HostPaths paths)
    {
        var path = paths.ProcPath("stat");
        return Parse(KernelFile.Read(path), path);
    }

    private static CpuTicks ParseTicks(string[] fields, string source, int lineNumber, string line)
    {
        if (fields.Length < 5) throw new FormatException($"{source}:{lineNumber}: cpu line has {fields.Length - 1} fields, expected at least 4: '{line}'");
        var values = new ulong[8];
        for (var i = 0; i < values.Length && i + 1 < fields.Length; i++)
        {
            if (!ulong.TryParse(fields[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]))
                throw new FormatException($"{source}:{lineNumber}: field {i + 2} '{fields[i + 1]}' is not a tick count");
        }
        return new CpuTicks(values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7]);
    }
}
