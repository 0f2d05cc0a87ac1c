namespace OneKvm.Driver.Virsh;

/// <summary>
/// libvirt access through the <c>virsh</c> command line. Implementations add the connection URI,
/// run with <c>LC_ALL=C</c> and kill the command at a timeout.
/// </summary>
public interface IVirsh
{
    /// <summary>The libvirt URI used for every call, e.g. <c>qemu:///system</c>.</summary>
    string Uri { get; }

    /// <summary>Runs <c>virsh --connect URI args…</c> and returns its standard output.</summary>
    /// <exception cref="VirshException">virsh failed, timed out or could not be started.</exception>
    Task<string> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default);
}

/// <summary>A virsh call that failed; the message names the URI, the command and virsh's error.</summary>
public sealed class VirshException : Exception
{
    public VirshException(string message) : base(message) { }

    public VirshException(string message, Exception inner) : base(message, inner) { }

    public VirshException() { }

    /// <summary>True when virsh was killed at the timeout.</summary>
    public bool TimedOut { get; init; }

    /// <summary>virsh's exit code, or null when it did not exit by itself.</summary>
    public int? ExitCode { get; init; }
}
