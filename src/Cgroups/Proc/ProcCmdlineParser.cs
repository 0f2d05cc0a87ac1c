using System.Globalization;

namespace OneKvm.Cgroups.Proc;

/// <summary>
/// Parses <c>/proc/&lt;pid&gt;/cmdline</c>: the arguments separated (and usually ended) by NUL bytes:
/// <code>/usr/bin/qemu-system-x86_64\0-name\0guest=one-74,debug-threads=on\0…\0-uuid\0c5f37dda-…\0</code>
/// Kernel threads and zombies have an empty cmdline.
/// </summary>
public static class ProcCmdlineParser
{
    public static IReadOnlyList<string> Split(string text)
    {
        if (text.Length == 0) return [];
        var end = text[^1] == '\0' ? text.Length - 1 : text.Length;
        return text[..end].Split('\0');
    }

    /// <summary>
    /// Recognises a QEMU command line: the program name contains <c>qemu</c> and a well-formed
    /// <c>-uuid</c> argument is present. Anything else gives null.
    /// </summary>
    public static QemuCommandLine? TryParseQemu(int pid, string text)
    {
        var args = Split(text);
        if (args.Count < 3 || !Path.GetFileName(args[0]).Contains("qemu", StringComparison.Ordinal)) return null;
        string? uuid = null, name = null;
        for (var i = 1; i < args.Count - 1; i++)
        {
            if (args[i] == "-uuid" && Guid.TryParseExact(args[i + 1], "D", out _)) uuid = args[i + 1].ToLowerInvariant();
            else if (args[i] == "-name") name = GuestName(args[i + 1]);
        }
        return uuid is null ? null : new QemuCommandLine(pid, uuid, name);
    }

    /// <summary><c>guest=one-7,,x,debug-threads=on</c> → <c>one-7,x</c>; a bare <c>-name foo</c> → <c>foo</c>.</summary>
    internal static string GuestName(string value)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != ',')
            {
                current.Append(value[i]);
            }
            else if (i + 1 < value.Length && value[i + 1] == ',')
            {
                current.Append(',');
                i++;
            }
            else
            {
                parts.Add(current.ToString());
                current.Clear();
            }
        }
        parts.Add(current.ToString());
        var guest = parts.FirstOrDefault(p => p.StartsWith("guest=", StringComparison.Ordinal));
        return guest is not null ? guest[6..] : parts[0];
    }

    /// <summary>Reads <c>&lt;proc&gt;/&lt;pid&gt;/cmdline</c>; null when the process is gone.</summary>
    public static string? TryRead(HostPaths paths, int pid) =>
        KernelFile.TryRead(paths.ProcPath(pid.ToString(CultureInfo.InvariantCulture), "cmdline"), out var text) ? text : null;
}
