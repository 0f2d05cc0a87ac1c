using System.Globalization;
using System.Text;

namespace OneKvm.Cgroups.Proc;

/// <summary>
/// Parses <c>/proc/&lt;pid&gt;/mountinfo</c> (proc(5)):
/// <code>32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime shared:9 - cgroup cgroup rw,cpu</code>
/// The number of optional fields varies: the <c>-</c> separator is searched for. Paths escape space,
/// tab, newline and backslash as <c>\040</c>, <c>\011</c>, <c>\012</c>, <c>\134</c>.
/// </summary>
public static class MountInfoParser
{
    /// <summary>Parses every line; a malformed line is a <see cref="FormatException"/> naming <paramref name="source"/> and the line.</summary>
    public static IReadOnlyList<MountInfo> Parse(string text, string source = "mountinfo")
    {
        var mounts = new List<MountInfo>();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var fields = line.Split(' ');
            var separator = fields.Length >= 9 ? Array.IndexOf(fields, "-", 6) : -1;
            if (separator < 0 || fields.Length < separator + 3
                || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent))
            {
                throw new FormatException($"{source}:{lineNumber}: malformed mountinfo line '{line}'");
            }
            var superOptions = fields.Length > separator + 3 ? fields[separator + 3].Split(',') : [];
            mounts.Add(new MountInfo(id, parent, Unescape(fields[3]), Unescape(fields[4]),
                fields[separator + 1], Unescape(fields[separator + 2]), superOptions));
        }
        return mounts;
    }

    /// <summary>Reads <c>&lt;proc&gt;/self/mountinfo</c> under <paramref name="paths"/>.</summary>
    public static IReadOnlyList<MountInfo> Read(HostPaths paths)
    {
        var path = paths.ProcPath("self", "mountinfo");
        return Parse(KernelFile.Read(path), path);
    }

    /// <summary>Undoes the kernel's octal escapes (<c>\040</c> → space).</summary>
    public static string Unescape(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal)) return value;
        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && IsOctal(value, i + 1))
            {
                text.Append((char)Convert.ToInt32(value.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                text.Append(value[i]);
            }
        }
        return text.ToString();
    }

    private static bool IsOctal(string value, int start) =>
        start + 3 <= value.Length && value[start] is >= '0' and <= '3'
        && value[start + 1] is >= '0' and <= '7' && value[start + 2] is >= '0' and <= '7';
}
