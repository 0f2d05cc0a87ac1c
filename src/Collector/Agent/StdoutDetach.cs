using System.Globalization;
using System.Runtime.InteropServices;
using OneKvm.Cgroups;

namespace OneKvm.Collector.Agent;

/// <summary>
/// After the start-up document the agent keeps running, but whoever started it (the IM driver's
/// ssh session) waits for end of file on stdout. .NET's console keeps its own duplicate of file
/// descriptor 1, so every descriptor open on the same pipe or file is pointed at <c>/dev/null</c>.
/// </summary>
internal static partial class StdoutDetach
{
    public static void ToDevNull()
    {
        Console.Out.Flush();
        Console.SetOut(TextWriter.Null);
        var fds = HostPaths.Default.ProcPath("self", "fd");
        var stdout = new FileInfo(Path.Join(fds, "1")).LinkTarget;
        using var devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Write);
        var nullFd = (int)devNull.DangerousGetHandle();
        foreach (var entry in Directory.GetFiles(fds))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var fd) || fd == nullFd) continue;
            string? target;
            try
            {
                target = new FileInfo(entry).LinkTarget;
            }
            catch (IOException)
            {
                continue; // closed while listing (the listing's own descriptor)
            }
            if (fd != 1 && (target is null || target != stdout)) continue;
            if (Dup2(nullFd, fd) < 0)
                throw new IOException($"dup2 /dev/null onto descriptor {fd} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static partial int Dup2(int oldFd, int newFd);
}
