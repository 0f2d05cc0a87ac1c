using System.Globalization;

namespace OneKvm.Cgroups.Files;

/// <summary>PSI line pair of a <c>*.pressure</c> file; totals in µs.</summary>
public sealed record PressureSample(long SomeTotalMicroseconds, long? FullTotalMicroseconds, double SomeAvg10Percent);

/// <summary>Pure parsers for the cgroup interface files.</summary>
public static class CgroupFileParsers
{
    /// <summary>
    /// Flat keyed files (<c>cpu.stat</c>, <c>memory.stat</c>, <c>cpuacct.stat</c>):
    /// <code>usage_usec 8280959
    /// user_usec 7073422</code>
    /// A line that is not <c>key integer</c> is a <see cref="FormatException"/> naming the source and line.
    /// </summary>
    public static IReadOnlyDictionary<string, long> ParseFlatKeyed(string text, string source)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                throw new FormatException($"{source}:{lineNumber}: expected 'key value', got '{line}'");
            values[parts[0]] = value;
        }
        return values;
    }

    /// <summary>A single integer (<c>cpu.shares</c> <c>1024</c>, <c>cpuacct.usage</c>), or a <see cref="FormatException"/> naming the source.</summary>
    public static long ParseInteger(string text, string source)
    {
        var value = text.Trim();
        return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FormatException($"{source}: expected an integer, got '{value}'");
    }

    /// <summary>v2 limits (<c>memory.max</c>): <c>max</c> → null (no limit), else the integer.</summary>
    public static long? ParseMaxOrInteger(string text, string source) =>
        text.Trim() == "max" ? null : ParseInteger(text, source);

    /// <summary>v1 <c>memory.limit_in_bytes</c>: values at or above <c>PAGE_COUNTER_MAX</c> pages (9223372036854771712) mean no limit → null.</summary>
    public static long? ParseV1MemoryLimit(string text, string source)
    {
        var value = ParseInteger(text, source);
        return value >= 9223372036854771712L - 4096 ? null : value;
    }

    /// <summary>
    /// <c>cpu.pressure</c>:
    /// <code>some avg10=0.00 avg60=0.00 avg300=0.00 total=985591
    /// full avg10=0.00 avg60=0.00 avg300=0.00 total=570824</code>
    /// </summary>
    public static PressureSample ParsePressure(string text, string source)
    {
        long? some = null, full = null;
        double avg10 = 0;
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long? total = null;
            double? a10 = null;
            foreach (var field in fields.Skip(1))
            {
                var eq = field.IndexOf('=', StringComparison.Ordinal);
                if (eq < 0) continue;
                var key = field[..eq];
                var value = field[(eq + 1)..];
                if (key == "total" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t)) total = t;
                if (key == "avg10" && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var a)) a10 = a;
            }
            if (total is null || fields[0] is not ("some" or "full"))
                throw new FormatException($"{source}:{lineNumber}: malformed pressure line '{line}'");
            if (fields[0] == "some")
            {
                some = total;
                avg10 = a10 ?? 0;
            }
            else
            {
                full = total;
            }
        }
        return some is { } s ? new PressureSample(s, full, avg10) : throw new FormatException($"{source}: no 'some' line");
    }

    /// <summary>
    /// Sums <c>rbytes</c>/<c>wbytes</c> over every device of a v2 <c>io.stat</c>:
    /// <code>254:0 rbytes=102912 wbytes=0 rios=18 wios=0 dbytes=0 dios=0
    /// 7:0 </code>
    /// (a device without I/O is listed bare).
    /// </summary>
    public static (long ReadBytes, long WriteBytes) ParseIoStat(string text, string source)
    {
        long read = 0, write = 0;
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (!fields[0].Contains(':', StringComparison.Ordinal))
                throw new FormatException($"{source}:{lineNumber}: expected 'MAJ:MIN key=value…', got '{line}'");
            foreach (var field in fields.Skip(1))
            {
                var eq = field.IndexOf('=', StringComparison.Ordinal);
                if (eq < 0 || !long.TryParse(field.AsSpan(eq + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value)) continue;
                if (field.StartsWith("rbytes=", StringComparison.Ordinal)) read += value;
                else if (field.StartsWith("wbytes=", StringComparison.Ordinal)) write += value;
            }
        }
        return (read, write);
    }

    /// <summary>
    /// Sums <c>Read</c>/<c>Write</c> over the devices of v1 <c>blkio.throttle.io_service_bytes</c>:
    /// <code>8:0 Read 4096
    /// 8:0 Write 0
    /// Total 4096</code>
    /// </summary>
    public static (long ReadBytes, long WriteBytes) ParseBlkioServiceBytes(string text, string source)
    {
        long read = 0, write = 0;
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || (fields.Length == 2 && fields[0] == "Total")) continue;
            if (fields.Length != 3 || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                throw new FormatException($"{source}:{lineNumber}: expected 'MAJ:MIN Op bytes', got '{line}'");
            if (fields[1] == "Read") read += value;
            else if (fields[1] == "Write") write += value;
        }
        return (read, write);
    }
}
