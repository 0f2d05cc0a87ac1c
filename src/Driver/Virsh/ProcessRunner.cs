using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace OneKvm.Driver.Virsh;

/// <summary>What a finished child process left behind.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);

/// <summary>A child that ran past its limit; <see cref="Stdout"/> and <see cref="Stderr"/> hold what it had written.</summary>
public sealed class ProcessTimeoutException(string message, string stdout, string stderr) : TimeoutException(message)
{
    public string Stdout { get; } = stdout;

    public string Stderr { get; } = stderr;
}

/// <summary>
/// Runs a program with an argument array (never a shell string) and <c>LC_ALL=C</c>, in its own
/// process group (through <c>setsid</c>). There is no limit unless one is given: the call lasts as
/// long as the program works. Reading its output is bounded: output is read until EOF, but once the
/// program has exited a grandchild still holding the pipes gets <see cref="DrainAfterExit"/>, then the
/// process group is killed and the output read so far is used.
/// </summary>
public static partial class ProcessRunner
{
    private const int SigKill = 9;

    private const string Setsid = "/usr/bin/setsid";

    /// <summary>How long output may keep arriving after the program exited.</summary>
    public static TimeSpan DrainAfterExit { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a program may take to exit after <c>onTimeout</c> asked libvirt to stop the job.</summary>
    public static TimeSpan AbortGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <param name="fileName">The program.</param>
    /// <param name="arguments">Its arguments, passed as an array.</param>
    /// <param name="stdin">Text for its stdin, or null for an empty stdin.</param>
    /// <param name="timeout">Limit, or null to wait as long as the program runs.</param>
    /// <param name="onTimeout">Called when the limit is reached, before the program is killed (e.g. <c>virsh domjobabort</c>).</param>
    /// <param name="cancellationToken">Stops waiting (the process group is killed).</param>
    /// <exception cref="ProcessTimeoutException">the limit was reached; the process group was stopped.</exception>
    /// <exception cref="System.ComponentModel.Win32Exception">the program could not be started.</exception>
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string? stdin = null,
        TimeSpan? timeout = null,
        Func<Task>? onTimeout = null,
        CancellationToken cancellationToken = default)
    {
        var ownGroup = File.Exists(Setsid);
        var startInfo = new ProcessStartInfo(ownGroup ? Setsid : fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (ownGroup)
        {
            startInfo.ArgumentList.Add("--");
            startInfo.ArgumentList.Add(fileName);
        }
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
        startInfo.Environment["LC_ALL"] = "C";
        startInfo.Environment["LANG"] = "C";

        using var process = new Process { StartInfo = startInfo };
        process.Start();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var readers = Task.WhenAll(
            ReadAsync(process.StandardOutput, stdout),
            ReadAsync(process.StandardError, stderr));
        try
        {
            if (stdin is not null) await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The child exited without reading its input; its exit code tells the rest.
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } t) limit.CancelAfter(t);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            var aborted = false;
            if (onTimeout is not null && !cancellationToken.IsCancellationRequested)
            {
                await onTimeout();
                aborted = await ExitsWithinAsync(process, AbortGrace);
            }
            if (!aborted) KillGroup(process, ownGroup);
            await DrainAsync(readers, process, ownGroup);
            cancellationToken.ThrowIfCancellationRequested();
            throw new ProcessTimeoutException(
                $"{Path.GetFileName(fileName)} did not finish within {timeout!.Value.TotalSeconds:0.###} s",
                Snapshot(stdout), Snapshot(stderr));
        }

        await DrainAsync(readers, process, ownGroup);
        return new ProcessResult(process.ExitCode, Snapshot(stdout), Snapshot(stderr));
    }

    /// <summary>Waits for EOF on both pipes; a grandchild keeping them open gets <see cref="DrainAfterExit"/>, then its group is killed.</summary>
    private static async Task DrainAsync(Task readers, Process process, bool ownGroup)
    {
        if (await Task.WhenAny(readers, Task.Delay(DrainAfterExit)) == readers) return;
        KillGroup(process, ownGroup);
        await Task.WhenAny(readers, Task.Delay(TimeSpan.FromMilliseconds(500)));
    }

    private static async Task<bool> ExitsWithinAsync(Process process, TimeSpan wait)
    {
        using var cts = new CancellationTokenSource(wait);
        try
        {
            await process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task ReadAsync(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        try
        {
            int n;
            while ((n = await reader.ReadAsync(buffer)) > 0)
            {
                lock (into) into.Append(buffer, 0, n);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe went away with the process: what arrived is kept.
        }
    }

    private static string Snapshot(StringBuilder text)
    {
        lock (text) return text.ToString();
    }

    /// <summary>SIGKILL to the child's process group (its pid, thanks to setsid), else to its tree.</summary>
    private static void KillGroup(Process process, bool ownGroup)
    {
        int pid;
        try
        {
            pid = process.Id;
        }
        catch (InvalidOperationException)
        {
            return;
        }
        if (ownGroup) _ = Kill(-pid, SigKill);
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
