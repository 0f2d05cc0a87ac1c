using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace OneKvm.Libvirt.Native;

/// <summary>
/// The functions libvirt calls back (<c>[UnmanagedCallersOnly]</c>, AOT-safe). The opaque pointer
/// is a client's number in a registry, not a GC handle: a callback that arrives after the client is
/// gone finds nothing and returns. No exception ever crosses back into libvirt.
/// </summary>
internal static unsafe class NativeCallbacks
{
    private static readonly ConcurrentDictionary<int, NativeLibvirtClient> Clients = new();
    private static int _lastId;

    public static int Register(NativeLibvirtClient client)
    {
        var id = Interlocked.Increment(ref _lastId);
        Clients[id] = client;
        return id;
    }

    public static void Unregister(int id) => Clients.TryRemove(id, out _);

    /// <summary><c>virConnectCloseFunc</c>.</summary>
    [UnmanagedCallersOnly]
    public static void OnClose(nint conn, int reason, nint opaque)
    {
        try
        {
            if (Clients.TryGetValue((int)opaque, out var client)) client.OnClosed(conn, reason);
        }
        catch (Exception)
        {
            // Never into native code.
        }
    }

    /// <summary><c>virConnectDomainEventCallback</c> (<c>VIR_DOMAIN_EVENT_ID_LIFECYCLE</c>).</summary>
    [UnmanagedCallersOnly]
    public static int OnLifecycle(nint conn, nint dom, int eventType, int detail, nint opaque)
    {
        try
        {
            if (Clients.TryGetValue((int)opaque, out var client)) client.OnDomainEvent(conn, dom, (DomainEventKind)eventType, detail);
        }
        catch (Exception)
        {
            // Never into native code.
        }
        return 0;
    }

    /// <summary><c>virConnectDomainEventMetadataChangeCallback</c>; the detail is the <c>virDomainMetadataType</c>.</summary>
    [UnmanagedCallersOnly]
    public static void OnMetadataChange(nint conn, nint dom, int type, byte* nsuri, nint opaque)
    {
        try
        {
            if (Clients.TryGetValue((int)opaque, out var client)) client.OnDomainEvent(conn, dom, DomainEventKind.MetadataChanged, type);
        }
        catch (Exception)
        {
            // Never into native code.
        }
    }
}
