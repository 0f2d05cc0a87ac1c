using OneKvm.Driver.Virsh;

namespace OneKvm.Driver.Actions;

/// <summary>What an action may use: libvirt, settings, the log, stdin, stdout and the clock.</summary>
public sealed record ActionContext(
    IVirsh Virsh,
    DriverSettings Settings,
    DriverLog Log,
    TextReader Stdin,
    TextWriter Stdout,
    TimeProvider Time);

/// <summary>
/// One remote action, called as upstream's script would be: <c>onekvm-driver &lt;action&gt; ARGS… &lt;vm_id&gt; &lt;host&gt;</c>.
/// Returns the exit code; on failure writes one <c>ERROR:</c> line.
/// </summary>
public abstract class DriverAction
{
    /// <summary>Script name, e.g. <c>deploy</c>, <c>snapshot_create</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Usage of the positional arguments before <c>&lt;vm_id&gt; &lt;host&gt;</c>.</summary>
    public abstract string Usage { get; }

    /// <summary>How many positional arguments the action needs at least.</summary>
    public abstract int MinArguments { get; }

    public abstract Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken);
}

/// <summary>An action that cannot complete; the message becomes the ERROR line oned shows.</summary>
public sealed class ActionFailedException : Exception
{
    public ActionFailedException(string message) : base(message) { }

    public ActionFailedException(string message, Exception inner) : base(message, inner) { }

    public ActionFailedException() { }
}
