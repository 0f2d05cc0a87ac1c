using System.Runtime.InteropServices;

namespace OneKvm.Probes.Host.Kernel;

/// <summary>libc entry points. <c>struct statvfs</c> as laid out by glibc and musl on 64-bit Linux.</summary>
internal static partial class NativeMethods
{
    [StructLayout(LayoutKind.Sequential)]
    internal struct StatVfsBuffer
    {
        public ulong BlockSize;
        public ulong FragmentSize;
        public ulong Blocks;
        public ulong FreeBlocks;
        public ulong AvailableBlocks;
        public ulong Files;
        public ulong FreeFiles;
        public ulong AvailableFiles;
        public ulong FileSystemId;
        public ulong Flags;
        public ulong NameMax;
        private readonly long _spare0;
        private readonly long _spare1;
        private readonly long _spare2;
    }

    [LibraryImport("libc", EntryPoint = "statvfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int StatVfs(string path, out StatVfsBuffer buffer);

    /// <summary>
    /// <c>struct stat</c> of glibc on x86_64 and aarch64 (the architectures OneKvm is built for):
    /// <c>st_dev</c> at 0, <c>st_ino</c> at 8, <c>st_blocks</c> (512-byte units) at 64, 144 bytes in
    /// all (128 on aarch64); the buffer is larger than either.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    internal struct StatBuffer
    {
        [FieldOffset(0)] public ulong Device;
        [FieldOffset(8)] public ulong Inode;
        [FieldOffset(64)] public long Blocks;
    }

    internal const int OpenWriteCreateCloseOnExec = 0x1 | 0x40 | 0x80000; // O_WRONLY | O_CREAT | O_CLOEXEC

    /// <summary><c>open(2)</c>, for a lock file: .NET's FileStream takes a flock of its own, which would collide with ours.</summary>
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags, int mode);

    internal const int LockExclusive = 2;
    internal const int LockNonBlocking = 4;

    /// <summary><c>flock(2)</c>: advisory whole-file lock, the one Ruby's <c>File#flock</c> takes.</summary>
    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    internal static partial int Flock(Microsoft.Win32.SafeHandles.SafeFileHandle fd, int operation);

    /// <summary><c>stat(2)</c>, following symbolic links (glibc 2.33+ exports it as a symbol).</summary>
    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Stat(string path, out StatBuffer buffer);
}
