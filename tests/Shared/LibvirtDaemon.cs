using System.Diagnostics;

namespace OneKvm.Tests;

/// <summary>Stops and restarts the real libvirtd (QEMU processes survive), for outage tests. Restart always in a finally.</summary>
internal static class LibvirtDaemon
{
    public static void Stop()
    {
        var pids = Run("pgrep", "-x", "libvirtd").Trim().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (pids.Length == 0) throw new InvalidOperationException("libvirtd is not running");
        foreach (var pid in pids) Process.GetProcessById(int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture)).Kill();
        var deadline = Stopwatch.StartNew();
        while (Run("pgrep", "-x", "libvirtd").Length > 0 && deadline.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(100);
    }

    public static void Start()
    {
        // Without the descriptors this process inherited (flock's lock on /tmp/onekvm-realhost.lock
        // among them): a daemon started here must not hold the real-host lock for the rest of its life.
        if (Run("pgrep", "-x", "libvirtd").Length == 0)
        {
            Run("bash", "-c", "for f in /proc/$$/fd/*; do n=${f##*/}; [ \"$n\" -gt 2 ] && eval \"exec $n>&-\"; done; exec libvirtd --daemon");
        }
        var deadline = Stopwatch.StartNew();
        while (!TestDomain.LibvirtAvailable())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60)) throw new InvalidOperationException("libvirtd did not come back within 60 s");
            Thread.Sleep(200);
        }
    }

    private static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output;
    }
}
