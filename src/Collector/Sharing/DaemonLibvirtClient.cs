using System.Reactive.Linq;
using System.Reactive.Subjects;
using Microsoft.Extensions.Logging;
using OneKvm.Libvirt;
using OneKvm.Probes.Sampling;

namespace OneKvm.Collector.Sharing;

/// <summary>
/// The libvirt of a process that found the host daemon on its socket (the agent, <c>--once</c>,
/// <c>cgroups</c>): every call goes to the daemon (<see cref="SocketLibvirtClient"/>) while it
/// answers; when the daemon stops answering (socket gone, connection refused or broken), the call
/// goes to the process's own libvirt connection, opened then, and closed again once the daemon
/// answers and no call is using it. So the host holds one OneKvm connection while the daemon runs,
/// and the client keeps working without it. <see cref="DaemonSnapshotSource"/> reads the daemon's
/// domain snapshots the same way.
/// </summary>
/// <param name="daemon">The daemon's socket.</param>
/// <param name="openOwn">Opens the process's own connection (the one it would use without a daemon).</param>
/// <param name="log">Where the switches are said (null: nowhere).</param>
public sealed class DaemonLibvirtClient(SocketLibvirtClient daemon, Func<ILibvirtClient> openOwn, ILogger? log = null) : ILibvirtClient
{
    private readonly Lock gate = new();
    private readonly ILibvirtClient calls = Hosting.CommandLogging.Wrap(daemon);
    private readonly Subject<DomainEvent> ownEvents = new();
    private ILibvirtClient? own;
    private IDisposable? ownSubscription;
    private int ownCalls;
    private bool retire;
    private bool silent;

    public string Uri => daemon.Uri;

    /// <summary>The socket this client asks first.</summary>
    public SocketLibvirtClient Daemon => daemon;

    /// <summary>True while the process's own connection is open (the daemon did not answer).</summary>
    public bool UsesOwnConnection
    {
        get
        {
            lock (gate) return own is not null;
        }
    }

    /// <summary>The daemon's events, and the own connection's while it is open.</summary>
    public IObservable<DomainEvent> Events => daemon.Events.Merge(ownEvents);

    public IObservable<ConnectionChange> ConnectionChanges => Observable.Never<ConnectionChange>();

    /// <summary>The daemon's snapshot; null when the daemon does not answer (its libvirt's failures are thrown).</summary>
    public async Task<DomainSnapshot?> TryReadDaemonSnapshotAsync(DateTimeOffset? notBefore, CancellationToken cancellationToken)
    {
        try
        {
            var snapshot = await daemon.ReadSnapshotAsync(notBefore, cancellationToken);
            await DaemonAnsweredAsync();
            return snapshot;
        }
        catch (LibvirtException e) when (SocketLibvirtClient.DaemonGone(e))
        {
            DaemonSilent(e);
            return null;
        }
    }

    public Task<IReadOnlyList<DomainInfo>> ListDomainsAsync(bool includeInactive, CancellationToken cancellationToken) =>
        CallAsync(c => c.ListDomainsAsync(includeInactive, cancellationToken));

    public Task<IReadOnlyList<DomainStatsRecord>> GetAllDomainStatsAsync(DomainStatsGroups groups, CancellationToken cancellationToken) =>
        CallAsync(c => c.GetAllDomainStatsAsync(groups, cancellationToken));

    public Task<string> GetDomainXmlAsync(string uuid, CancellationToken cancellationToken) =>
        CallAsync(c => c.GetDomainXmlAsync(uuid, cancellationToken));

    public Task<string> GetCapabilitiesAsync(CancellationToken cancellationToken) =>
        CallAsync(c => c.GetCapabilitiesAsync(cancellationToken));

    public Task<string> GetDomainCapabilitiesAsync(string? emulator, string? arch, string? machine, string? virtType, CancellationToken cancellationToken) =>
        CallAsync(c => c.GetDomainCapabilitiesAsync(emulator, arch, machine, virtType, cancellationToken));

    public Task<string> BaselineCpuAsync(IReadOnlyList<string> cpuXml, bool expandFeatures, CancellationToken cancellationToken) =>
        CallAsync(c => c.BaselineCpuAsync(cpuXml, expandFeatures, cancellationToken));

    public Task<LibvirtVersion> GetVersionAsync(CancellationToken cancellationToken) =>
        CallAsync(c => c.GetVersionAsync(cancellationToken));

    public Task SetCpuSharesAsync(string uuid, ulong shares, bool persistent, CancellationToken cancellationToken) =>
        CallAsync(async c =>
        {
            await c.SetCpuSharesAsync(uuid, shares, persistent, cancellationToken);
            return true;
        });

    public Task<string> QemuAgentCommandAsync(string uuid, string command, int timeoutSeconds, CancellationToken cancellationToken) =>
        CallAsync(c => c.QemuAgentCommandAsync(uuid, command, timeoutSeconds, cancellationToken));

    public async ValueTask DisposeAsync()
    {
        ILibvirtClient? open;
        lock (gate)
        {
            open = own;
            own = null;
            ownSubscription?.Dispose();
        }
        if (open is not null) await open.DisposeAsync();
        ownEvents.Dispose();
        await daemon.DisposeAsync();
    }

    private async Task<T> CallAsync<T>(Func<ILibvirtClient, Task<T>> call)
    {
        try
        {
            var answer = await call(calls);
            await DaemonAnsweredAsync();
            return answer;
        }
        catch (LibvirtException e) when (SocketLibvirtClient.DaemonGone(e))
        {
            DaemonSilent(e);
        }
        var client = AcquireOwn();
        try
        {
            return await call(client);
        }
        finally
        {
            await ReleaseOwnAsync();
        }
    }

    private void DaemonSilent(LibvirtException e)
    {
        lock (gate)
        {
            if (silent) return;
            silent = true;
        }
        log?.LogWarning("the host daemon does not answer ({Message}): this process uses its own libvirt connection to {Uri}", e.Message, Uri);
    }

    private ILibvirtClient AcquireOwn()
    {
        lock (gate)
        {
            if (own is null)
            {
                own = openOwn();
                ownSubscription = own.Events.Subscribe(ownEvents.OnNext);
            }
            retire = false;
            ownCalls++;
            return own;
        }
    }

    private Task ReleaseOwnAsync()
    {
        lock (gate)
        {
            ownCalls--;
            return retire ? CloseOwnLocked() : Task.CompletedTask;
        }
    }

    /// <summary>The daemon answers: the own connection is closed now, or when its last call ends.</summary>
    private Task DaemonAnsweredAsync()
    {
        lock (gate)
        {
            if (silent) log?.LogWarning("the host daemon answers again: this process reads through it");
            silent = false;
            if (own is null) return Task.CompletedTask;
            retire = true;
            return CloseOwnLocked();
        }
    }

    private Task CloseOwnLocked()
    {
        if (ownCalls > 0 || own is not { } open) return Task.CompletedTask;
        own = null;
        retire = false;
        ownSubscription?.Dispose();
        ownSubscription = null;
        return open.DisposeAsync().AsTask();
    }
}

/// <summary>
/// The domain snapshots of a process that found the host daemon: the daemon's own
/// (<see cref="SharedSnapshot"/>, with the daemon's CPU and memory figures), and while the daemon
/// does not answer, the process's own reads (<see cref="LocalDomainSnapshotSource"/> over its own
/// connection, CPU from its own previous reads).
/// </summary>
public sealed class DaemonSnapshotSource(DaemonLibvirtClient libvirt, TimeProvider time, OneKvm.Cgroups.HostPaths paths) : IDomainSnapshotSource
{
    private readonly LocalDomainSnapshotSource own = new(libvirt, time, paths);

    public ILibvirtClient Libvirt => libvirt;

    public async Task<DomainSnapshot> ReadAsync(DateTimeOffset? notBefore, CancellationToken cancellationToken) =>
        await libvirt.TryReadDaemonSnapshotAsync(notBefore, cancellationToken) ?? await own.ReadAsync(notBefore, cancellationToken);
}
