using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using OneKvm.Libvirt.Stats;

namespace OneKvm.Libvirt.Native;

/// <summary>
/// The functions libvirt calls back (<c>[UnmanagedCallersOnly]</c>, AOT-safe). The opaque pointer
/// is a client's number in a registry, not a GC handle, and the functions are static (no delegate
/// to keep alive): a callback that arrives after the client is gone finds nothing and returns. No
/// exception ever crosses back into libvirt.
/// <para>
/// Once the process starts exiting (<see cref="AppDomain.ProcessExit"/>) every callback returns
/// before touching anything: libvirt's event loop thread, or a call thread still stuck in a hung
/// daemon, may call back while the runtime tears down.
/// </para>
/// </summary>
internal static unsafe class NativeCallbacks
{
    private static readonly ConcurrentDictionary<int, NativeLibvirtClient> Clients = new();

    /// <summary>Per client number: callbacks registered with libvirt whose free function has not run yet.</summary>
    private static readonly ConcurrentDictionary<int, int> Held = new();

    private static int _lastId;
    private static volatile bool _shuttingDown;

    static NativeCallbacks()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => BeginShutdown();
    }

    /// <summary>Set when the process exits; from then on no callback runs any code of a client.</summary>
    public static bool ShuttingDown => _shuttingDown;

    public static void BeginShutdown()
    {
        _shuttingDown = true;
        Clients.Clear();
    }

    public static int Register(NativeLibvirtClient client)
    {
        var id = Interlocked.Increment(ref _lastId);
        Clients[id] = client;
        return id;
    }

    public static void Unregister(int id) => Clients.TryRemove(id, out _);

    /// <summary>A registration libvirt accepted with <see cref="OnFree"/> as its free function.</summary>
    public static void Hold(int id) => Held.AddOrUpdate(id, 1, (_, n) => n + 1);

    /// <summary>Registrations of client <paramref name="id"/> libvirt has not released yet.</summary>
    public static int Holding(int id) => Held.GetValueOrDefault(id);

    /// <summary><c>virFreeCallback</c> of every registration: libvirt has dropped the callback and its opaque.</summary>
    [UnmanagedCallersOnly]
    public static void OnFree(nint opaque)
    {
        if (_shuttingDown) return;
        try
        {
            var id = (int)opaque;
            if (Held.AddOrUpdate(id, 0, (_, n) => n - 1) <= 0) Held.TryRemove(id, out _);
        }
        catch (Exception)
        {
            // Never into native code.
        }
    }

    /// <summary><c>virConnectCloseFunc</c>.</summary>
    [UnmanagedCallersOnly]
    public static void OnClose(nint conn, int reason, nint opaque)
    {
        if (_shuttingDown) return;
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
        if (_shuttingDown) return 0;
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
        if (_shuttingDown) return;
        try
        {
            if (Clients.TryGetValue((int)opaque, out var client)) client.OnDomainEvent(conn, dom, DomainEventKind.MetadataChanged, type);
        }
        catch (Exception)
        {
            // Never into native code.
        }
    }

    /// <summary><c>virConnectDomainEventDeviceAddedCallback</c>.</summary>
    [UnmanagedCallersOnly]
    public static void OnDeviceAdded(nint conn, nint dom, byte* devAlias, nint opaque) => OnDevice(conn, dom, DomainEventKind.DeviceAdded, devAlias, opaque);

    /// <summary><c>virConnectDomainEventDeviceRemovedCallback</c>.</summary>
    [UnmanagedCallersOnly]
    public static void OnDeviceRemoved(nint conn, nint dom, byte* devAlias, nint opaque) => OnDevice(conn, dom, DomainEventKind.DeviceRemoved, devAlias, opaque);

    /// <summary><c>virConnectDomainEventDeviceRemovalFailedCallback</c>.</summary>
    [UnmanagedCallersOnly]
    public static void OnDeviceRemovalFailed(nint conn, nint dom, byte* devAlias, nint opaque) => OnDevice(conn, dom, DomainEventKind.DeviceRemovalFailed, devAlias, opaque);

    /// <summary><c>virConnectDomainEventTunableCallback</c>: libvirt frees <paramref name="parameters"/> after the call, so they are copied here.</summary>
    [UnmanagedCallersOnly]
    public static void OnTunable(nint conn, nint dom, VirTypedParameter* parameters, int count, nint opaque)
    {
        if (_shuttingDown) return;
        try
        {
            if (!Clients.TryGetValue((int)opaque, out var client)) return;
            var tunables = new Dictionary<string, string>(StringComparer.Ordinal);
            if (parameters is not null)
            {
                foreach (ref readonly var p in new ReadOnlySpan<VirTypedParameter>(parameters, Math.Max(0, count)))
                {
                    if (TypedParameterValue.Text(in p) is { } text) tunables[TypedParameterValue.Key(in p)] = text;
                }
            }
            client.OnDomainEvent(conn, dom, DomainEventKind.TunableChanged, 0, tunables: tunables);
        }
        catch (Exception)
        {
            // Never into native code.
        }
    }

    private static void OnDevice(nint conn, nint dom, DomainEventKind kind, byte* devAlias, nint opaque)
    {
        if (_shuttingDown) return;
        try
        {
            if (Clients.TryGetValue((int)opaque, out var client)) client.OnDomainEvent(conn, dom, kind, 0, alias: NativeText.Borrowed(devAlias) ?? "");
        }
        catch (Exception)
        {
            // Never into native code.
        }
    }
}
