using System.Runtime.InteropServices;

namespace OneKvm.Collector.Agent;

/// <summary>
/// After the start-up document the agent keeps running, but whoever started it (the IM driver's
/// ssh session) waits for end of file on stdout: point file descriptor 1 at <c>/dev/null</c>.
/// </summary>
internal static partial class StdoutDetach
{
    public static void ToDevNull()
    {
        var old = Console.Out;
        old.Flush();
        Console.SetOut(TextWriter.Null);
        old.Dispose();
        using var devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Write);
        if (Dup2((int)devNull.DangerousGetHandle(), 1) < 0)
            throw new IOException($"dup2 /dev/null onto stdout failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static partial int Dup2(int oldFd, int newFd);
}
