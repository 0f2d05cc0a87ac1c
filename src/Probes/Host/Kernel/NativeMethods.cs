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
}
