
namespace OneKvm.Probes.Host.Kernel;

/// <summary>
/// What <c>du -mL PATH</c> prints: the space allocated to a file (<c>st_blocks</c>, so a sparse or
/// thin qcow2 image counts what it uses, not its virtual size), or to a directory tree, following
/// symbolic links, each inode counted once, in MiB rounded up.
/// </summary>
public static class DiskUsage
{
    /// <summary>Allocated MiB, rounded up; null when <paramref name="path"/> does not exist (vanished).</summary>
    public static long? Mib(string path)
    {
        var seen = new HashSet<(ulong, ulong)>();
        var bytes = Allocated(path, seen, top: true);
        return bytes is { } b ? (b + (1L << 20) - 1) >> 20 : null;
    }

    private static long? Allocated(string path, HashSet<(ulong, ulong)> seen, bool top)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("stat is read on Linux only");
        if (NativeMethods.Stat(path, out var stat) != 0)
        {
            if (top) return null;
            return 0; // a dangling link or an entry gone while the tree is walked: du skips it too (with a warning)
        }
        if (!seen.Add((stat.Device, stat.Inode))) return 0;
        var total = stat.Blocks * 512;
        if (Directory.Exists(path))
        {
            try
            {
                foreach (var entry in Directory.EnumerateFileSystemEntries(path))
                    total += Allocated(entry, seen, top: false) ?? 0;
            }
            catch (Exception e) when (e is DirectoryNotFoundException or UnauthorizedAccessException or IOException)
            {
                // partly unreadable: count what was read
            }
        }
        return total;
    }
}
