namespace OneKvm.Libvirt.Native;

/// <summary>One open <c>virConnectPtr</c> of a client, with what was registered on it.</summary>
internal sealed class NativeConnection(ConnectHandle handle, bool readOnly, int generation)
{
    public ConnectHandle Handle { get; } = handle;

    /// <summary>The raw pointer, to recognise callbacks of this connection (never dereferenced).</summary>
    public nint Raw { get; } = handle.DangerousGetHandle();

    public bool ReadOnly { get; } = readOnly;

    public int Generation { get; } = generation;

    /// <summary>Set once the connection is lost or abandoned; never cleared (a new connection replaces it).</summary>
    public volatile bool Broken;

    public int LifecycleCallbackId { get; set; } = -1;

    public int MetadataCallbackId { get; set; } = -1;

    public bool CloseCallbackRegistered { get; set; }

    /// <summary>One bulk stats call at a time: NOWAIT skips block stats of a domain whose job another call holds.</summary>
    public SemaphoreSlim StatsGate { get; } = new(1, 1);
}
