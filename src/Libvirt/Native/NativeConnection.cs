namespace OneKvm.Libvirt.Native;

/// <summary>One open <c>virConnectPtr</c> of a client, with what was registered on it.</summary>
#pragma warning disable CA1001 // its token source has no timer (nothing to dispose), and waiters may read its token after the release
internal sealed class NativeConnection(ConnectHandle handle, bool readOnly, int generation)
{
    private readonly Lock _gate = new();
    private int _calls;
    private bool _releaseWanted;
    private bool _releaseStarted;

    public ConnectHandle Handle { get; } = handle;

    /// <summary>The raw pointer, to recognise callbacks of this connection (never dereferenced).</summary>
    public nint Raw { get; } = handle.DangerousGetHandle();

    public bool ReadOnly { get; } = readOnly;

    public int Generation { get; } = generation;

    /// <summary>Set once the connection is lost or abandoned; never cleared (a new connection replaces it).</summary>
    public volatile bool Broken;

    /// <summary>The domain event callbacks libvirt accepted on this connection (filled while opening, before any other thread sees it).</summary>
    public List<int> EventCallbackIds { get; } = [];

    public bool CloseCallbackRegistered { get; set; }

    /// <summary>Completes when the connection is deregistered and closed.</summary>
    public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A call thread starts using the connection; false once its release was asked for.</summary>
    public bool TryEnter()
    {
        lock (_gate)
        {
            if (_releaseWanted) return false;
            _calls++;
            return true;
        }
    }

    /// <summary>A call thread is back from libvirt; true when it was the last one and the release is now due (once).</summary>
    public bool Exit()
    {
        lock (_gate)
        {
            _calls--;
            return _calls == 0 && _releaseWanted && Claim();
        }
    }

    /// <summary>
    /// Asks for the release; true when it is due now (no call inside libvirt), else the last call
    /// back does it. libvirt 9.0's RPC client crashes (<c>g_main_loop_quit</c> on another
    /// thread's loop) when a deregistration runs while another thread's call on the same
    /// connection ends in an error or close, so a broken connection is torn down by one thread alone.
    /// </summary>
    public bool RequestRelease()
    {
        lock (_gate)
        {
            _releaseWanted = true;
            return _calls == 0 && Claim();
        }
    }

    private bool Claim()
    {
        if (_releaseStarted) return false;
        _releaseStarted = true;
        return true;
    }

    private readonly CancellationTokenSource _broken = new();

    /// <summary>
    /// One call inside libvirt at a time on this connection, released by the call thread when libvirt
    /// returns (not when its caller gives up). libvirt 9.0's RPC client corrupts memory when several
    /// threads wait on one connection that then fails (keepalive, EOF); the wire is one socket anyway.
    /// </summary>
    public SemaphoreSlim CallGate { get; } = new(1, 1);

    /// <summary>Cancelled once the connection is lost or abandoned: calls waiting for <see cref="CallGate"/> give up.</summary>
    public CancellationToken BrokenToken => _broken.Token;

    /// <summary>Why it broke; set before <see cref="BrokenToken"/> is cancelled.</summary>
    public string? BrokenReason { get; private set; }

    /// <summary>Marks the connection broken (once) and wakes the calls waiting for it; false if it already was.</summary>
    public bool Break(string reason)
    {
        lock (_gate)
        {
            if (Broken) return false;
            BrokenReason = reason;
            Broken = true;
        }
        _broken.Cancel();
        return true;
    }
}
#pragma warning restore CA1001
