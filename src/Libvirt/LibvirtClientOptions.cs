namespace OneKvm.Libvirt;

/// <summary>How a process connects to libvirt.</summary>
public sealed record LibvirtClientOptions
{
    /// <summary>Connection URI (kvmrc's <c>LIBVIRT_URI</c>; default <c>qemu:///system</c>).</summary>
    public string Uri { get; init; } = "qemu:///system";

    /// <summary>Deadline of one call; a call still running then fails (the connection is kept or reopened).</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary><c>virConnectSetKeepAlive</c> interval; a daemon silent for Interval x (Count + 1) is declared dead.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>virConnectSetKeepAlive</c> count.</summary>
    public int KeepAliveCount { get; init; } = 3;

    /// <summary>First wait before reopening a lost connection; doubles up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectInitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Open read-only (enough for everything but domain capabilities and setting shares, which then
    /// fail with libvirt's "read only access prevents ..." message).
    /// </summary>
    public bool ReadOnly { get; init; }
}
