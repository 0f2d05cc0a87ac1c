using System.Diagnostics;

namespace OneKvm.Tests;

/// <summary>Stops and restarts the real libvirtd (QEMU processes survive), for outage tests. Restart always in a finally.</summary>
internal static class LibvirtDaemon
{
    /// <summary>The real-host tests' global lock (see the brief): flock's descriptor must not leak into a daemon.</summary>
    public const string LockFile = "/tmp/onekvm-realhost.lock";

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
            foreach (var pid in Run("pgrep", "-x", "libvirtd").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var held = Directory.GetFiles($"/proc/{pid.Trim()}/fd").Where(f => ReadLink(f) == LockFile).ToList();
                if (held.Count > 0) throw new InvalidOperationException($"the libvirtd started here holds {LockFile} ({string.Join(", ", held)})");
            }
        }
        WaitHealthy(TimeSpan.FromSeconds(90));
    }

    /// <summary>
    /// Waits until libvirtd lists domains and defines and undefines one (a restarted daemon answers
    /// <c>version</c> before its QEMU driver is ready), so the next test finds it working.
    /// </summary>
    public static void WaitHealthy(TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        var name = "onekvm-test-lv-health";
        var file = Path.Join(Path.GetTempPath(), $"{name}-{Environment.ProcessId}.xml");
        File.WriteAllText(file, $"<domain type='qemu'><name>{name}</name><memory unit='MiB'>16</memory>"
            + "<os><type arch='x86_64' machine='pc'>hvm</type></os></domain>");
        try
        {
            var last = "";
            while (true)
            {
                try
                {
                    var list = TestDomain.Virsh("list");
                    if (list.ExitCode == 0)
                    {
                        var define = TestDomain.Virsh("define", file);
                        var undefine = TestDomain.Virsh("undefine", name);
                        if (define.ExitCode == 0 && undefine.ExitCode == 0) return;
                        last = $"define: {define.Stderr.Trim()} undefine: {undefine.Stderr.Trim()}";
                    }
                    else
                    {
                        last = $"list: {list.Stderr.Trim()}";
                    }
                }
                catch (TimeoutException e)
                {
                    last = e.Message;
                }
                if (deadline.Elapsed > within) throw new InvalidOperationException($"libvirtd not healthy within {within.TotalSeconds} s: {last}");
                Thread.Sleep(250);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Stops libvirtd with SIGSTOP (it keeps its sockets, answers nothing); returns its pid for <see cref="Continue"/>.</summary>
    public static int Pause()
    {
        var pid = int.Parse(Run("pgrep", "-x", "libvirtd").Trim().Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture);
        Signal("-STOP", pid);
        return pid;
    }

    /// <summary>SIGCONT to a libvirtd stopped by <see cref="Pause"/>; always in a finally.</summary>
    public static void Continue(int pid) => Signal("-CONT", pid);

    private static void Signal(string signal, int pid)
    {
        using var p = Process.Start("kill", [signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"kill {signal} {pid} failed");
    }

    private static string? ReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
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
