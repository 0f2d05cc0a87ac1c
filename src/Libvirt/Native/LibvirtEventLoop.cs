using System.Runtime.InteropServices;

namespace OneKvm.Libvirt.Native;

/// <summary>
/// libvirt's default event loop, once per process: registered before the first connection opens
/// (events and keepalive need it) and run by <c>virEventRunDefaultImpl</c> on a background thread
/// for the life of the process (a background thread: it never holds up exit, and stops once exit
/// has begun). Also silences libvirt's default error printer (errors reach callers as exceptions,
/// never as stderr noise).
/// </summary>
internal static unsafe class LibvirtEventLoop
{
    private static readonly Lock Gate = new();
    private static bool _started;

    public static void EnsureStarted()
    {
        lock (Gate)
        {
            if (_started) return;
            LibvirtNative.virSetErrorFunc(0, &IgnoreError);
            if (LibvirtNative.virInitialize() < 0 || LibvirtNative.virEventRegisterDefaultImpl() < 0)
            {
                var (_, message) = LibvirtErrors.TakeLast();
                throw new LibvirtException($"libvirt virEventRegisterDefaultImpl: {message}");
            }
            var thread = new Thread(Run) { IsBackground = true, Name = "libvirt event loop" };
            thread.Start();
            _started = true;
        }
    }

    private static void Run()
    {
        while (!NativeCallbacks.ShuttingDown)
        {
            if (LibvirtNative.virEventRunDefaultImpl() < 0)
            {
                // Only fails on a poll() error; do not spin.
                LibvirtNative.virResetLastError();
                Thread.Sleep(100);
            }
        }
    }

    [UnmanagedCallersOnly]
    private static void IgnoreError(nint userData, nint error)
    {
        // Nothing to do, and nothing may run once the process exits.
    }
}
