using System.Globalization;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OneKvm.Libvirt.Native;

namespace OneKvm.Libvirt;

/// <summary>
/// <see cref="ILibvirtClient"/> over <c>libvirt.so.0</c>: one persistent connection, opened on the
/// first call (read-write, or read-only when libvirt refuses read-write or
/// <see cref="LibvirtClientOptions.ReadOnly"/> asks for it), with keepalive, a close callback,
/// domain events, and reconnection with exponential back-off after a loss.
/// <para>
/// Every libvirt call runs on a thread of its own and is awaited up to
/// <see cref="LibvirtClientOptions.CallTimeout"/>; a call that misses it is abandoned (it finishes or
/// fails inside libvirt on its own; libvirt's keepalive eventually closes a connection to a hung
/// daemon), its connection is marked broken and the next call opens a fresh one. At most
/// <see cref="MaxStuckCalls"/> abandoned calls are tolerated; beyond that calls fail at once.
/// </para>
/// </summary>
public sealed partial class NativeLibvirtClient : ILibvirtClient
{
    /// <summary>Abandoned calls (threads still inside libvirt) after which new calls fail without starting.</summary>
    public const int MaxStuckCalls = 4;

    private readonly LibvirtClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly int _registryId;
    private readonly Lock _gate = new();
    private readonly Subject<DomainEvent> _events = new();
    private readonly Subject<ConnectionChange> _changes = new();
    private readonly Channel<object> _outbox = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _dispatcher;

    private NativeConnection? _current;
    private Task<NativeConnection>? _opening;
    private long _nextAttempt;
    private TimeSpan _delay;
    private string? _lastError;
    private bool? _published;
    private int _generation;
    private int _stuck;
    private ITimer? _reconnectTimer;
    private bool _disposed;

    /// <summary>Cheap: nothing is loaded or opened until the first call.</summary>
    /// <param name="options">URI, deadlines, keepalive, back-off; defaults when null.</param>
    /// <param name="logger">Connection changes and dropped stats fields; none when null.</param>
    /// <param name="timeProvider">Event and change timestamps, deadlines and back-off; the system clock when null.</param>
    public NativeLibvirtClient(LibvirtClientOptions? options = null, ILogger<NativeLibvirtClient>? logger = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new LibvirtClientOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _delay = _options.ReconnectInitialDelay;
        _registryId = NativeCallbacks.Register(this);
        _dispatcher = Task.Run(DispatchAsync);
    }

    public string Uri => _options.Uri;

    public IObservable<DomainEvent> Events => _events.AsObservable();

    public IObservable<ConnectionChange> ConnectionChanges => _changes.AsObservable();

    /// <summary>Whether the current connection is read-only; null while not connected.</summary>
    public bool? IsReadOnly
    {
        get
        {
            lock (_gate) return _current is { Broken: false } c ? c.ReadOnly : null;
        }
    }

    /// <summary>Calls abandoned at their deadline that are still inside libvirt.</summary>
    public int StuckCalls => Volatile.Read(ref _stuck);

    /// <summary>Callbacks (close, events) libvirt still holds for this client: 0 once every connection is released.</summary>
    internal int CallbacksHeld => NativeCallbacks.Holding(_registryId);

    /// <summary>
    /// Closes the connection (deregistering events first, within the call deadline) and completes
    /// <see cref="Events"/> and <see cref="ConnectionChanges"/>. libvirt's event loop thread stays (one per process).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        NativeConnection? current;
        Task<NativeConnection>? opening;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            current = _current;
            opening = _opening;
            _current = null;
            _reconnectTimer?.Dispose();
            _reconnectTimer = null;
        }
        NativeCallbacks.Unregister(_registryId);
        if (current is not null)
        {
            StartRelease(current);
            try
            {
                await current.Released.Task.WaitAsync(_options.CallTimeout, _time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _logger.LogWarning("{Message}", LibvirtErrors.Text("virConnectClose", Uri,
                    $"not closed within {Seconds(_options.CallTimeout)} s (a call still inside libvirt, or no answer); left to finish in the background"));
            }
        }
        _ = opening?.ContinueWith(t => StartRelease(t.Result), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        _outbox.Writer.TryComplete();
        await _dispatcher.ConfigureAwait(false);
        _events.OnCompleted();
        _changes.OnCompleted();
        _events.Dispose();
        _changes.Dispose();
    }

    /// <summary>The live connection, or the one being opened; fails at once while backing off after a failure.</summary>
    private async Task<NativeConnection> ConnectionAsync(string call, CancellationToken cancellationToken)
    {
        Task<NativeConnection> opening;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_current is { Broken: false } live) return live;
            if (_opening is null)
            {
                var wait = _time.GetElapsedTime(_time.GetTimestamp(), _nextAttempt);
                if (wait > TimeSpan.Zero)
                {
                    throw new LibvirtException(LibvirtErrors.Text(call, Uri,
                        $"not connected ({_lastError}); next attempt in {wait.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s"))
                    { Uri = Uri, Unreachable = true };
                }
                _opening = OpenAsync();
            }
            opening = _opening;
        }
        try
        {
            return await opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (LibvirtException e)
        {
            throw new LibvirtException(LibvirtErrors.Text(call, Uri, e.Message), e)
            { Uri = Uri, Code = e.Code, TimedOut = e.TimedOut, Unreachable = true };
        }
    }

    private async Task<NativeConnection> OpenAsync()
    {
        await Task.Yield();
        NativeConnection connection;
        try
        {
            connection = await RunWithDeadlineAsync("virConnectOpen", Open, StartRelease, CancellationToken.None).ConfigureAwait(false);
        }
        catch (LibvirtException e)
        {
            // Open() throws libvirt's bare message; a timeout comes from RunWithDeadlineAsync.
            var detail = e.TimedOut ? $"no answer within {Seconds(_options.CallTimeout)} s" : e.Message;
            OnOpenFailed(detail);
            throw new LibvirtException($"cannot connect: {detail}") { Code = e.Code, TimedOut = e.TimedOut };
        }
        bool disposed;
        lock (_gate)
        {
            disposed = _disposed;
            if (!disposed)
            {
                _current = connection;
                _opening = null;
                _delay = _options.ReconnectInitialDelay;
                _lastError = null;
            }
        }
        if (disposed)
        {
            StartRelease(connection);
            throw new ObjectDisposedException(nameof(NativeLibvirtClient));
        }
        _logger.LogInformation("libvirt: connected to {Uri} ({Mode})", Uri, connection.ReadOnly ? "read-only" : "read-write");
        PublishChange(true, null);
        return connection;
    }

    private void OnOpenFailed(string detail)
    {
        lock (_gate)
        {
            _opening = null;
            _lastError = detail;
            _nextAttempt = _time.GetTimestamp() + (long)(_delay.TotalSeconds * _time.TimestampFrequency);
            if (!_disposed) ScheduleReconnect(_delay);
            _delay = TimeSpan.FromTicks(Math.Min(_delay.Ticks * 2, _options.ReconnectMaxDelay.Ticks));
        }
        _logger.LogWarning("libvirt: cannot connect to {Uri}: {Detail}", Uri, detail);
        PublishChange(false, detail);
    }

    /// <summary>Drops a lost or abandoned connection (once); the next call, or the reconnect timer, opens a new one.</summary>
    private void MarkBroken(NativeConnection connection, string reason)
    {
        if (!connection.Break(reason)) return;
        lock (_gate)
        {
            if (_current != connection) return;
            _current = null;
            _lastError = reason;
            if (!_disposed) ScheduleReconnect(_delay);
        }
        _logger.LogWarning("libvirt: connection to {Uri} lost: {Reason}", Uri, reason);
        PublishChange(false, reason);
        StartRelease(connection);
    }

    private void ScheduleReconnect(TimeSpan delay)
    {
        _reconnectTimer?.Dispose();
        _reconnectTimer = _time.CreateTimer(_ => ReconnectInBackground(), null, delay, Timeout.InfiniteTimeSpan);
    }

    private void ReconnectInBackground()
    {
        Task<NativeConnection> opening;
        lock (_gate)
        {
            if (_disposed || _current is { Broken: false } || _opening is not null) return;
            opening = _opening = OpenAsync();
        }
        // Failures are logged and rescheduled by OpenAsync.
        _ = opening.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a thread of its own and waits up to the call deadline. On a
    /// timeout the thread is abandoned (counted until it returns); <paramref name="discardLate"/>
    /// receives a result that arrives after the caller gave up.
    /// </summary>
    private Task<T> RunWithDeadlineAsync<T>(string call, Func<T> work, Action<T>? discardLate, CancellationToken cancellationToken) =>
        RunWithDeadlineAsync(call, work, discardLate, _options.CallTimeout, cancellationToken);

    private async Task<T> RunWithDeadlineAsync<T>(string call, Func<T> work, Action<T>? discardLate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stuck = Volatile.Read(ref _stuck);
        if (stuck >= MaxStuckCalls)
        {
            throw new LibvirtException(LibvirtErrors.Text(call, Uri,
                $"{stuck.ToString(CultureInfo.InvariantCulture)} earlier calls are still stuck in libvirt; not starting another"))
            { Uri = Uri, TimedOut = true, Unreachable = true };
        }
        var task = Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
        try
        {
            return await task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Abandon(task, discardLate);
            throw new LibvirtException(LibvirtErrors.Text(call, Uri, $"no answer within {Seconds(_options.CallTimeout)} s; call abandoned"))
            { Uri = Uri, TimedOut = true };
        }
        catch (OperationCanceledException) when (!task.IsCompleted)
        {
            Abandon(task, discardLate);
            throw;
        }
    }

    private void Abandon<T>(Task<T> task, Action<T>? discardLate)
    {
        Interlocked.Increment(ref _stuck);
        _ = task.ContinueWith(t =>
        {
            Interlocked.Decrement(ref _stuck);
            if (t.IsCompletedSuccessfully) discardLate?.Invoke(t.Result);
            else _ = t.Exception;
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private void PublishChange(bool connected, string? reason)
    {
        lock (_gate)
        {
            if (_published == connected) return;
            _published = connected;
        }
        _outbox.Writer.TryWrite(new ConnectionChange(_time.GetUtcNow(), Uri, connected, reason));
    }

    /// <summary>Events and changes reach subscribers from here, never from libvirt's event loop thread.</summary>
    private async Task DispatchAsync()
    {
        await foreach (var item in _outbox.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                if (item is DomainEvent e) _events.OnNext(e);
                else if (item is ConnectionChange c) _changes.OnNext(c);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "libvirt: a subscriber failed on {Item}", item);
            }
        }
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
