namespace OneKvm.Libvirt.Domain;

/// <summary>
/// Each domain's <see cref="DomainDefinition"/>, fetched once per domain life
/// (<see cref="ILibvirtClient.GetDomainXmlAsync"/>) and kept, by lower-case UUID, until libvirt says
/// it changed or is gone: a <c>Defined</c>, <c>Started</c>, <c>MetadataChanged</c>, <c>Stopped</c>,
/// <c>Crashed</c> or <c>Undefined</c> event, a live device attach or detach (<c>DeviceAdded</c>,
/// <c>DeviceRemoved</c>, <c>DeviceRemovalFailed</c>) or a run-time tunable change
/// (<c>TunableChanged</c>: CPU shares, quota, pinning, block I/O limits) drops the entry (the next
/// <see cref="GetAsync"/> fetches again), a failed call for a domain that is gone evicts it, and a connection change clears
/// everything (events may have been missed). Suspend and resume keep it.
/// No timer. Thread-safe; concurrent requests for one domain share one fetch.
/// <para>
/// A domain whose XML does not parse is an error for that domain only: its
/// <see cref="FormatException"/> is kept (and thrown again) until its next event. A failed call
/// (<see cref="LibvirtException"/>: timeout, libvirt unreachable, domain gone) is not kept.
/// </para>
/// </summary>
public sealed class DomainDefinitionCache : IDisposable
{
    private readonly ILibvirtClient _client;
    private readonly Dictionary<string, Task<DomainDefinition>> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly IDisposable _events;
    private readonly IDisposable _connection;
    private int _fetches;

    public DomainDefinitionCache(ILibvirtClient client)
    {
        _client = client;
        _events = client.Events.Subscribe(OnEvent);
        _connection = client.ConnectionChanges.Subscribe(_ => Clear());
    }

    /// <summary>Number of XML fetches made so far (for tests and diagnostics).</summary>
    public int Fetches => Volatile.Read(ref _fetches);

    /// <summary>Number of domains held.</summary>
    public int Count
    {
        get
        {
            lock (_lock) return _entries.Count;
        }
    }

    /// <summary>The definition of domain <paramref name="uuid"/>, fetched only when not held.</summary>
    /// <exception cref="LibvirtException">the call failed; <see cref="LibvirtException.NoDomain"/> when the domain is gone (it is evicted).</exception>
    /// <exception cref="FormatException">the domain's XML is not a valid domain XML (names the domain).</exception>
    public Task<DomainDefinition> GetAsync(string uuid, CancellationToken cancellationToken)
    {
        var key = uuid.ToLowerInvariant();
        Task<DomainDefinition> task;
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out task!))
            {
                task = FetchAsync(key);
                _entries[key] = task;
                _ = task.ContinueWith(t => ForgetFailedCall(key, t), CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
        }
        return task.WaitAsync(cancellationToken);
    }

    /// <summary>Drops the entry of <paramref name="uuid"/>; the next <see cref="GetAsync"/> fetches it again.</summary>
    public void Invalidate(string uuid)
    {
        lock (_lock) _entries.Remove(uuid.ToLowerInvariant());
    }

    /// <summary>Evicts every domain not in <paramref name="uuids"/> (e.g. the domains just listed).</summary>
    public void Retain(IEnumerable<string> uuids)
    {
        var keep = uuids.Select(u => u.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var key in _entries.Keys.Where(k => !keep.Contains(k)).ToList()) _entries.Remove(key);
        }
    }

    public void Dispose()
    {
        _events.Dispose();
        _connection.Dispose();
    }

    private async Task<DomainDefinition> FetchAsync(string uuid)
    {
        // Started under the lock: yield before calling libvirt. Not the caller's token: the fetch
        // may be shared, and the client's deadline bounds it.
        await Task.Yield();
        var xml = await _client.GetDomainXmlAsync(uuid, CancellationToken.None);
        Interlocked.Increment(ref _fetches);
        return DomainDefinition.Parse(xml, $"domain {uuid} ({_client.Uri})");
    }

    private void ForgetFailedCall(string uuid, Task<DomainDefinition> task)
    {
        if (task.Exception?.InnerException is not LibvirtException) return;
        lock (_lock)
        {
            if (_entries.TryGetValue(uuid, out var current) && current == task) _entries.Remove(uuid);
        }
    }

    private void OnEvent(DomainEvent e)
    {
        if (e.Kind is DomainEventKind.Defined or DomainEventKind.Started or DomainEventKind.MetadataChanged
            or DomainEventKind.Stopped or DomainEventKind.Crashed or DomainEventKind.Undefined
            or DomainEventKind.DeviceAdded or DomainEventKind.DeviceRemoved or DomainEventKind.DeviceRemovalFailed
            or DomainEventKind.TunableChanged)
        {
            Invalidate(e.Uuid);
        }
    }

    private void Clear()
    {
        lock (_lock) _entries.Clear();
    }
}
