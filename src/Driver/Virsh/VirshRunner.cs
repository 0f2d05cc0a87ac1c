using System.ComponentModel;

namespace OneKvm.Driver.Virsh;

/// <summary>How the driver reaches libvirt.</summary>
public sealed record VirshOptions
{
    /// <summary>The virsh program (a path or a name looked up on PATH).</summary>
    public string Path { get; init; } = "virsh";

    /// <summary>kvmrc's <c>LIBVIRT_URI</c>.</summary>
    public string Uri { get; init; } = "qemu:///system";

    /// <summary>Limit of a short call (state, XML, hot-plug); null: none, as upstream.</summary>
    public TimeSpan? CallTimeout { get; init; }
}

/// <summary>One virsh invocation. Positional names belong after a <c>--</c> in <see cref="Args"/>.</summary>
public sealed record VirshCall(IReadOnlyList<string> Args)
{
    /// <summary>Text for virsh's stdin (a file argument of <c>/dev/stdin</c> reads it).</summary>
    public string? Stdin { get; init; }

    /// <summary>Limit of this call; null: the runner's <see cref="VirshOptions.CallTimeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>True for a libvirt job (save, restore, migrate, snapshot, create): no short-call limit applies.</summary>
    public bool Job { get; init; }

    /// <summary>Run when <see cref="Timeout"/> fires, before virsh is stopped (e.g. <c>domjobabort</c>).</summary>
    public Func<Task>? OnTimeout { get; init; }

    /// <summary>Another connection than kvmrc's LIBVIRT_URI (migrate_local talks to the source host).</summary>
    public string? Uri { get; init; }
}

/// <summary>libvirt through the virsh command line.</summary>
public interface IVirsh
{
    /// <summary>The libvirt URI used for every call, e.g. <c>qemu:///system</c>.</summary>
    string Uri { get; }

    /// <summary>Runs <c>virsh --connect URI args…</c> and returns its standard output.</summary>
    /// <exception cref="VirshException">virsh failed, timed out or could not be started.</exception>
    Task<string> CallAsync(VirshCall request, CancellationToken cancellationToken = default);
}

/// <summary>A virsh call that failed. <see cref="Exception.Message"/> is libvirt's own reason.</summary>
public sealed class VirshException : Exception
{
    public VirshException(string message) : base(message) { }

    public VirshException(string message, Exception inner) : base(message, inner) { }

    public VirshException() { }

    /// <summary>The command as a log line shows it, e.g. <c>virsh --connect qemu:///system reboot -- one-7</c>.</summary>
    public string Command { get; init; } = "virsh";

    /// <summary>True when the call ran past its limit and was stopped.</summary>
    public bool TimedOut { get; init; }

    /// <summary>virsh's exit code, or null when it did not exit by itself.</summary>
    public int? ExitCode { get; init; }
}

public static class VirshExtensions
{
    /// <summary>A plain call: <c>virsh --connect URI args…</c>.</summary>
    public static Task<string> RunAsync(this IVirsh virsh, string[] args, CancellationToken cancellationToken = default) =>
        virsh.CallAsync(new VirshCall(args), cancellationToken);
}

/// <summary><see cref="IVirsh"/> over the <c>virsh</c> program, run by <see cref="ProcessRunner"/>.</summary>
public sealed class VirshRunner(VirshOptions options) : IVirsh
{
    public string Uri => options.Uri;

    public async Task<string> CallAsync(VirshCall request, CancellationToken cancellationToken = default)
    {
        var call = request;
        var uri = call.Uri ?? options.Uri;
        string[] argv = ["--connect", uri, .. call.Args];
        var command = $"virsh {string.Join(' ', argv)}";
        var timeout = call.Timeout ?? (call.Job ? null : options.CallTimeout);
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(options.Path, argv, call.Stdin, timeout, call.OnTimeout, cancellationToken);
        }
        catch (ProcessTimeoutException e)
        {
            var said = ErrorText(e.Stderr);
            throw new VirshException(
                $"libvirt did not finish within {timeout!.Value.TotalSeconds:0.###} s{(said.Length > 0 ? $" ({said})" : "")}", e)
            { Command = command, TimedOut = true };
        }
        catch (Win32Exception e)
        {
            throw new VirshException($"cannot run '{options.Path}': {e.Message}", e) { Command = command };
        }

        if (result.ExitCode != 0)
        {
            var error = ErrorText(result.Stderr);
            throw new VirshException(error.Length > 0 ? error : $"virsh exited with status {result.ExitCode} and no error text")
            { Command = command, ExitCode = result.ExitCode };
        }
        return result.Stdout;
    }

    /// <summary>virsh prints "error: Failed to create domain…" then "error: …detail"; keep them on one line, "error: " dropped.</summary>
    internal static string ErrorText(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join("; ", lines.Select(l => l.StartsWith("error: ", StringComparison.Ordinal) ? l[7..] : l));
    }
}
