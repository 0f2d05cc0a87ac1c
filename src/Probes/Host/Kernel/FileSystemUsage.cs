using System.ComponentModel;
using System.Runtime.InteropServices;

namespace OneKvm.Probes.Host.Kernel;

/// <summary>
/// Size of the filesystem holding a path, from <c>statvfs(3)</c>, in bytes: what <c>df -P</c> shows
/// as total, used (<c>blocks − bfree</c>) and available to unprivileged users (<c>bavail</c>).
/// </summary>
public sealed record FileSystemUsage(ulong TotalBytes, ulong UsedBytes, ulong AvailableBytes)
{
    private const double MiB = 1024 * 1024;

    /// <summary>Total in MiB rounded up, as <c>df -B1M</c> prints it.</summary>
    public ulong TotalMib => CeilMib(TotalBytes);

    /// <summary>Used in MiB rounded up, as <c>df -B1M</c> prints it.</summary>
    public ulong UsedMib => CeilMib(UsedBytes);

    /// <summary>Available in MiB rounded up, as <c>df -B1M</c> prints it.</summary>
    public ulong AvailableMib => CeilMib(AvailableBytes);

    /// <summary>Calls <c>statvfs</c> on <paramref name="path"/>; failure is an <see cref="IOException"/> naming the path.</summary>
    public static FileSystemUsage Of(string path)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("statvfs is read on Linux only");
        if (NativeMethods.StatVfs(path, out var s) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"{path}: statvfs failed: {new Win32Exception(errno).Message}");
        }
        var unit = s.FragmentSize != 0 ? s.FragmentSize : s.BlockSize;
        return new FileSystemUsage(s.Blocks * unit, (s.Blocks - Math.Min(s.Blocks, s.FreeBlocks)) * unit, s.AvailableBlocks * unit);
    }

    private static ulong CeilMib(ulong bytes) => (ulong)Math.Ceiling(bytes / MiB);
}
