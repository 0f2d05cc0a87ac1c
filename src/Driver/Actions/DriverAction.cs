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
/// Fails by throwing ActionFailedException.
/// </summary>
public abstract class DriverAction
{
    /// <summary>Script name, e.g. <c>deploy</c>, <c>snapshot_create</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Usage of the positional arguments before <c>&lt;vm_id&gt; &lt;host&gt;</c>.</summary>
    public abstract string Usage { get; }

    /// <summary>How many positional arguments the action needs at least.</summary>
    public abstract int MinArguments { get; }

    /// <summary>Which argument is the domain (checked by <see cref="Names.Domain"/> before the action runs), or null.</summary>
    public virtual int? DomainArgument => 0;

    public abstract Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken);
}

/// <summary>
/// An action that cannot complete. The message (what OneKvm was doing, then libvirt's reason) is the
/// plain stderr line one_vmm_exec returns to oned as the failure info.
/// </summary>
public sealed class ActionFailedException : Exception
{
    public ActionFailedException(string message) : base(message) { }

    public ActionFailedException(string message, Exception inner) : base(message, inner) { }

    public ActionFailedException() { }

    /// <summary>The exit status, as upstream's script exits (deploy and snapshot_create: <c>exit -1</c>, i.e. 255).</summary>
    public int ExitCode { get; init; } = 1;
}
