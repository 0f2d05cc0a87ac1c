using Microsoft.Extensions.Hosting.Systemd;

namespace OneKvm.Collector.Hosting;

/// <summary>
/// The notifier the host's systemd lifetime is given: its READY=1 at host start is dropped, and
/// READY=1 goes out once when the command says it is ready (<see cref="Ready"/>: serve once it
/// listens, the agent at once). Every other state (STOPPING=1) passes through.
/// </summary>
public sealed class ReadyGate(ISystemdNotifier inner) : ISystemdNotifier
{
    private int sent;

    public bool IsEnabled => inner.IsEnabled;

    public void Notify(ServiceState state)
    {
        if (state.ToString() == ServiceState.Ready.ToString()) return; // the host started: not the command
        inner.Notify(state);
    }

    /// <summary>The command is ready: READY=1 (the first call only).</summary>
    public void Ready()
    {
        if (Interlocked.Exchange(ref sent, 1) == 0 && inner.IsEnabled) inner.Notify(ServiceState.Ready);
    }
}
