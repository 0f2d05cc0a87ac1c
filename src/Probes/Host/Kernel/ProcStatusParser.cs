using System.Globalization;

using OneKvm.Cgroups;

namespace OneKvm.Probes.Host.Kernel;

/// <summary>
/// Parses <c>/proc/&lt;pid&gt;/status</c> (proc(5)), <c>Key:\tvalue</c> lines; memory values carry
/// a <c>kB</c> unit that means KiB:
/// <code>VmRSS:	   52188 kB</code>
/// Only <c>VmRSS</c> and <c>VmSwap</c> are read; other lines are skipped unparsed.
/// </summary>
public static class ProcStatusParser
{
    public static ProcStatus Parse(string text, string source = "status")
    {
        long? rss = null, swap = null;
        var lineNumber = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = KiB(line[6..], source, lineNumber);
            else if (line.StartsWith("VmSwap:", StringComparison.Ordinal)) swap = KiB(line[7..], source, lineNumber);
        }
        return new ProcStatus(rss, swap);
    }

    private static long KiB(ReadOnlySpan<char> value, string source, int line)
    {
        var v = value.Trim();
        if (v.EndsWith(" kB", StringComparison.Ordinal)) v = v[..^3].TrimEnd();
        return long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var kib)
            ? kib
            : throw new KernelFileException(source, line, $"'{value.Trim()}' is not a size in kB");
    }

    /// <summary>Reads <c>&lt;proc&gt;/&lt;pid&gt;/status</c>; false when the process is gone.</summary>
    public static bool TryRead(HostPaths paths, int pid, out ProcStatus? status)
    {
        var path = paths.ProcPath(pid.ToString(CultureInfo.InvariantCulture), "status");
        status = KernelFile.TryRead(path, out var text) ? Parse(text, path) : null;
        return status is not null;
    }
}
