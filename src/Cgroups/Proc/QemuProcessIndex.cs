using System.Globalization;

namespace OneKvm.Cgroups.Proc;

/// <summary>
/// Finds libvirt's QEMU processes by scanning the numeric directories of the proc root and reading
/// each <c>cmdline</c> once (≈10 µs per process); processes that vanish meanwhile are skipped.
/// </summary>
public static class QemuProcessIndex
{
    /// <summary>QEMU processes by lower-case domain UUID.</summary>
    public static IReadOnlyDictionary<string, QemuCommandLine> Scan(HostPaths paths)
    {
        var result = new Dictionary<string, QemuCommandLine>(StringComparer.Ordinal);
        IEnumerable<string> dirs;
        try
        {
            dirs = Directory.EnumerateDirectories(paths.Proc);
        }
        catch (DirectoryNotFoundException)
        {
            return result;
        }
        foreach (var dir in dirs)
        {
            if (!int.TryParse(Path.GetFileName(dir.AsSpan()), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            string? text;
            try
            {
                text = ProcCmdlineParser.TryRead(paths, pid);
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            if (text is not null && ProcCmdlineParser.TryParseQemu(pid, text) is { } qemu) result[qemu.Uuid] = qemu;
        }
        return result;
    }
}
