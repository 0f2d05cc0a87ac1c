using Microsoft.Extensions.Logging;
using OneKvm.Libvirt.Native;

namespace OneKvm.Libvirt;

/// <summary>Opening and closing connections, and what libvirt's event loop tells about them.</summary>
public sealed unsafe partial class NativeLibvirtClient
{
    /// <summary>Runs on a call thread: opens (read-write first unless asked otherwise), sets keepalive, registers callbacks.</summary>
    private NativeConnection Open()
    {
        LibvirtEventLoop.EnsureStarted();
        var readOnly = _options.ReadOnly;
        ConnectHandle handle;
        if (readOnly)
        {
            handle = LibvirtNative.virConnectOpenReadOnly(Uri);
            if (handle.IsInvalid) throw OpenFailure(handle);
        }
        else
        {
            handle = LibvirtNative.virConnectOpen(Uri);
            if (handle.IsInvalid)
            {
                var (code, message) = LibvirtErrors.TakeLast();
                handle.Dispose();
                handle = LibvirtNative.virConnectOpenReadOnly(Uri);
                if (handle.IsInvalid)
                {
                    handle.Dispose();
                    LibvirtNative.virResetLastError();
                    throw new LibvirtException(message) { Code = code };
                }
                readOnly = true;
                _logger.LogInformation("libvirt: read-write connection to {Uri} refused ({Message}); using read-only", Uri, message);
            }
        }
        var connection = new NativeConnection(handle, readOnly, Interlocked.Increment(ref _generation));
        var interval = (int)Math.Max(1, _options.KeepAliveInterval.TotalSeconds);
        if (LibvirtNative.virConnectSetKeepAlive(handle, interval, (uint)Math.Max(0, _options.KeepAliveCount)) < 0)
        {
            _logger.LogWarning("libvirt: keepalive on {Uri} refused: {Message}", Uri, LibvirtErrors.TakeLast().Message);
        }
        var opaque = (nint)_registryId;
        if (LibvirtNative.virConnectRegisterCloseCallback(handle, &NativeCallbacks.OnClose, opaque, &NativeCallbacks.OnFree) == 0)
        {
            NativeCallbacks.Hold(_registryId);
            connection.CloseCallbackRegistered = true;
        }
        else
        {
            _logger.LogWarning("libvirt: close callback on {Uri} refused: {Message}", Uri, LibvirtErrors.TakeLast().Message);
        }
        RegisterEvent(connection, LibvirtNative.EventIdLifecycle, (delegate* unmanaged<nint, nint, int, int, nint, int>)&NativeCallbacks.OnLifecycle, opaque);
        RegisterEvent(connection, LibvirtNative.EventIdMetadataChange, (delegate* unmanaged<nint, nint, int, byte*, nint, void>)&NativeCallbacks.OnMetadataChange, opaque);
        RegisterEvent(connection, LibvirtNative.EventIdDeviceAdded, (delegate* unmanaged<nint, nint, byte*, nint, void>)&NativeCallbacks.OnDeviceAdded, opaque);
        RegisterEvent(connection, LibvirtNative.EventIdDeviceRemoved, (delegate* unmanaged<nint, nint, byte*, nint, void>)&NativeCallbacks.OnDeviceRemoved, opaque);
        RegisterEvent(connection, LibvirtNative.EventIdDeviceRemovalFailed, (delegate* unmanaged<nint, nint, byte*, nint, void>)&NativeCallbacks.OnDeviceRemovalFailed, opaque);
        RegisterEvent(connection, LibvirtNative.EventIdTunable, (delegate* unmanaged<nint, nint, VirTypedParameter*, int, nint, void>)&NativeCallbacks.OnTunable, opaque);
        return connection;
    }

    private void RegisterEvent(NativeConnection connection, int eventId, void* callback, nint opaque)
    {
        var id = LibvirtNative.virConnectDomainEventRegisterAny(connection.Handle, 0, eventId, callback, opaque, &NativeCallbacks.OnFree);
        if (id >= 0)
        {
            NativeCallbacks.Hold(_registryId);
            connection.EventCallbackIds.Add(id);
        }
        else
        {
            _logger.LogWarning("libvirt: domain event {EventId} on {Uri} refused: {Message}", eventId, Uri, LibvirtErrors.TakeLast().Message);
        }
    }

    private static LibvirtException OpenFailure(ConnectHandle handle)
    {
        var (code, message) = LibvirtErrors.TakeLast();
        handle.Dispose();
        return new LibvirtException(message) { Code = code };
    }

    /// <summary>
    /// Releases a connection on a thread of its own (deregistering may wait for a hung daemon until
    /// keepalive gives up) once no call is inside libvirt on it; <see cref="NativeConnection.Released"/> tells when done.
    /// </summary>
    private static void StartRelease(NativeConnection connection)
    {
        if (connection.RequestRelease()) ReleaseInBackground(connection);
    }

    private static void ReleaseInBackground(NativeConnection connection) =>
        _ = Task.Factory.StartNew(() => Release(connection), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>
    /// Deregisters the callbacks (they hold references on the connection) and closes it; the close
    /// itself happens when the last call still using the handle returns.
    /// </summary>
    private static void Release(NativeConnection connection)
    {
        try
        {
            Deregister(connection);
        }
        finally
        {
            connection.Released.TrySetResult();
        }
    }

    private static void Deregister(NativeConnection connection)
    {
        var handle = connection.Handle;
        if (handle.IsClosed) return;
        try
        {
            foreach (var id in connection.EventCallbackIds) LibvirtNative.virConnectDomainEventDeregisterAny(handle, id);
            if (connection.CloseCallbackRegistered) LibvirtNative.virConnectUnregisterCloseCallback(handle, &NativeCallbacks.OnClose);
        }
        catch (ObjectDisposedException)
        {
            return;
        }
        finally
        {
            LibvirtNative.virResetLastError();
        }
        // Not the stats gate: a call thread still stuck in libvirt releases it when it returns.
        handle.Dispose();
    }

    /// <summary>From libvirt's event loop thread: the connection closed (EOF, keepalive, error).</summary>
    internal void OnClosed(nint conn, int reason)
    {
        NativeConnection? current;
        lock (_gate) current = _current;
        if (current is null || current.Raw != conn) return;
        var why = reason switch
        {
            0 => "connection error",
            1 => "libvirtd closed the connection (end of file)",
            2 => "keepalive timeout: libvirtd did not answer",
            3 => "closed by the client",
            _ => "closed",
        };
        MarkBroken(current, why);
    }

    /// <summary>From libvirt's event loop thread: a domain event of this client's current connection.</summary>
    internal void OnDomainEvent(nint conn, nint dom, DomainEventKind kind, int detail, string? alias = null, IReadOnlyDictionary<string, string>? tunables = null)
    {
        var current = Volatile.Read(ref _current);
        if (current is null || current.Raw != conn) return;
        var uuid = NativeText.DomainUuid(dom);
        if (uuid is null)
        {
            LibvirtNative.virResetLastError();
            return;
        }
        var name = NativeText.Borrowed(LibvirtNative.virDomainGetName(dom)) ?? uuid;
        _outbox.Writer.TryWrite(new DomainEvent(_time.GetUtcNow(), uuid, name, NativeText.DomainId(dom), kind, detail)
        {
            DeviceAlias = alias,
            Tunables = tunables,
        });
    }
}
