using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Text.Json;

namespace OneKvm.Libvirt.Replay;

/// <summary>
/// An <see cref="ILibvirtClient"/> answering from a <see cref="LibvirtRecording"/>, in process: the
/// one test double of the reading contract. From a file (<see cref="FromFile"/>), it re-reads the
/// file when it changes, so a long-running process can be moved to another scenario (libvirtd gone,
/// a domain suspended) by rewriting it. Scripted failures and events behave as a real daemon's
/// would: <c>hang</c> holds the call until the client's deadline and then fails it.
/// </summary>
public sealed class ReplayLibvirtClient : ILibvirtClient
{
    private readonly string? path;
    private readonly TimeProvider time;
    private readonly TimeSpan deadline;
    private readonly Subject<DomainEvent> events = new();
    private readonly BehaviorSubject<ConnectionChange> connection;
    private readonly CancellationTokenSource disposed = new();
    private readonly Lock gate = new();
    private readonly List<(string Uuid, ulong Shares, bool Persistent)> sharesSet = [];
    private LibvirtRecording recording;
    private DateTime loadedWriteTime;
    private int calls;

    public ReplayLibvirtClient(LibvirtRecording recording, TimeProvider? time = null, TimeSpan? deadline = null)
    {
        this.recording = recording;
        this.time = time ?? TimeProvider.System;
        this.deadline = deadline ?? new LibvirtClientOptions().CallTimeout;
        connection = new BehaviorSubject<ConnectionChange>(Change(recording));
        if (recording.Events is { Count: > 0 } scripted) _ = EmitAsync(scripted, disposed.Token);
    }

    private ReplayLibvirtClient(string path, LibvirtRecording recording, DateTime writeTime, TimeProvider? time, TimeSpan? deadline)
        : this(recording, time, deadline)
    {
        this.path = path;
        loadedWriteTime = writeTime;
    }

    /// <summary>Replays the recording in <paramref name="file"/>.</summary>
    /// <exception cref="LibvirtException">the file cannot be read or is not a recording (the message names it).</exception>
    public static ReplayLibvirtClient FromFile(string file, TimeProvider? time = null, TimeSpan? deadline = null)
    {
        var writeTime = File.GetLastWriteTimeUtc(file);
        return new ReplayLibvirtClient(file, Load(file), writeTime, time, deadline);
    }

    /// <summary>Reads a recording.</summary>
    /// <exception cref="LibvirtException">the file cannot be read or is not a recording.</exception>
    public static LibvirtRecording Load(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            return JsonSerializer.Deserialize(stream, LibvirtRecordingJson.Default.LibvirtRecording)
                ?? throw new LibvirtException($"{file}: the libvirt recording is empty");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LibvirtException($"{file}: cannot read the libvirt recording: {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new LibvirtException($"{file}: not a libvirt recording: line {e.LineNumber + 1}: {e.Message}", e);
        }
    }

    public string Uri => Current.Uri;

    /// <summary>The shares <see cref="SetCpuSharesAsync"/> was asked to set, in order.</summary>
    public IReadOnlyList<(string Uuid, ulong Shares, bool Persistent)> SharesSet
    {
        get
        {
            lock (gate) return [.. sharesSet];
        }
    }

    /// <summary>Number of calls answered or failed so far (each call counts once).</summary>
    public int Calls => Volatile.Read(ref calls);

    /// <summary>Replaces the recording (the next call answers from it); connection changes are emitted as a real client would.</summary>
    public void Replace(LibvirtRecording next)
    {
        LibvirtRecording before;
        lock (gate)
        {
            before = recording;
            recording = next;
        }
        if (Reachable(before) != Reachable(next)) connection.OnNext(Change(next));
    }

    /// <summary>Emits a domain event (lifecycle, metadata, device, tunable) now.</summary>
    public void Emit(DomainEvent domainEvent) => events.OnNext(domainEvent);

    public IObservable<DomainEvent> Events => events.AsObservable();

    public IObservable<ConnectionChange> ConnectionChanges => connection.AsObservable();

    public async Task<IReadOnlyList<DomainInfo>> ListDomainsAsync(bool includeInactive, CancellationToken cancellationToken)
    {
        var r = await AnswerAsync(ReplayCall.List, cancellationToken);
        var domains = r.Domains ?? throw NotRecorded(r, ReplayCall.List);
        return includeInactive ? domains : [.. domains.Where(d => d.Id is not null)];
    }

    public async Task<IReadOnlyList<DomainStatsRecord>> GetAllDomainStatsAsync(DomainStatsGroups groups, CancellationToken cancellationToken)
    {
        var r = await AnswerAsync(ReplayCall.Stats, cancellationToken);
        var stats = r.Stats ?? throw NotRecorded(r, ReplayCall.Stats);
        return [.. stats.Select(s => s with { Stats = Only(s.Stats, groups) })];
    }

    public async Task<string> GetDomainXmlAsync(string uuid, CancellationToken cancellationToken)
    {
        var r = await AnswerAsync(ReplayCall.Xml, cancellationToken);
        if (r.Xml is null) throw NotRecorded(r, ReplayCall.Xml);
        return r.Xml.TryGetValue(uuid.ToLowerInvariant(), out var xml)
            ? xml
            : throw new LibvirtException($"libvirt at {r.Uri}: virDomainGetXMLDesc: Domain not found: no domain with matching uuid '{uuid}'")
            {
                Uri = r.Uri,
                Code = 42,
            };
    }

    public async Task<string> GetCapabilitiesAsync(CancellationToken cancellationToken)
    {
        var r = await AnswerAsync(ReplayCall.Capabilities, cancellationToken);
        return r.Capabilities ?? throw NotRecorded(r, ReplayCall.Capabilities);
    }

    public async Task<string> GetDomainCapabilitiesAsync(string? emulator, string? arch, string? machine, string? virtType, CancellationToken cancellationToken)
    {
        var r = await AnswerAsync(ReplayCall.DomainCapabilities, cancellationToken);
        return r.DomainCapabilities ?? throw NotRecorded(r, ReplayCall.DomainCapabilities);
    }

    public async Task<string> BaselineCpuAsync(IReadOnlyList<string> cpuXml, bool expandFeatures, CancellationToken cancellationToken)
    {
        var r = await AnswerAsync(ReplayCall.Baseline, cancellationToken);
        return r.Baseline ?? throw NotRecorded(r, ReplayCall.Baseline);
    }

    public async Task<LibvirtVersion> GetVersionAsync(CancellationToken cancellationToken)
    {
        var r = await AnswerAsync(ReplayCall.Version, cancellationToken);
        var v = r.Version ?? throw NotRecorded(r, ReplayCall.Version);
        return new LibvirtVersion(System.Version.Parse(v.Library), System.Version.Parse(v.Daemon));
    }

    public async Task SetCpuSharesAsync(string uuid, ulong shares, bool persistent, CancellationToken cancellationToken)
    {
        await AnswerAsync(ReplayCall.SetShares, cancellationToken);
        lock (gate) sharesSet.Add((uuid, shares, persistent));
    }

    public async Task<string> QemuAgentCommandAsync(string uuid, string command, int timeoutSeconds, CancellationToken cancellationToken)
    {
        var r = await AnswerAsync(ReplayCall.Agent, cancellationToken);
        return r.AgentReplies?.TryGetValue(uuid.ToLowerInvariant(), out var reply) == true
            ? reply
            : throw new LibvirtException($"libvirt at {r.Uri}: virDomainQemuAgentCommand: Guest agent is not responding: QEMU guest agent is not connected")
            {
                Uri = r.Uri,
                Code = 86,
            };
    }

    public ValueTask DisposeAsync()
    {
        disposed.Cancel();
        disposed.Dispose();
        events.OnCompleted();
        events.Dispose();
        connection.OnCompleted();
        connection.Dispose();
        return ValueTask.CompletedTask;
    }

    private LibvirtRecording Current
    {
        get
        {
            if (path is not null) ReloadIfChanged(path);
            lock (gate) return recording;
        }
    }

    private void ReloadIfChanged(string file)
    {
        DateTime writeTime;
        try
        {
            writeTime = File.GetLastWriteTimeUtc(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        lock (gate)
        {
            if (writeTime == loadedWriteTime) return;
            loadedWriteTime = writeTime;
        }
        Replace(Load(file));
    }

    /// <summary>The recording to answer from, after the scripted failure of <paramref name="call"/> if any.</summary>
    private async Task<LibvirtRecording> AnswerAsync(string call, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref calls);
        cancellationToken.ThrowIfCancellationRequested();
        var r = Current;
        if (r.Failures is not { } failures) return r;
        if (!failures.TryGetValue(call, out var failure) && !failures.TryGetValue("*", out failure)) return r;
        switch (failure.Kind)
        {
            case "hang":
                await Task.Delay(deadline, time, cancellationToken);
                throw new LibvirtException(
                    $"libvirt at {r.Uri} did not answer {call} within {deadline.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} s")
                {
                    Uri = r.Uri,
                    TimedOut = true,
                };
            case "unreachable":
                throw new LibvirtException($"libvirt at {r.Uri} is unreachable: {failure.Message ?? "no connection"}")
                {
                    Uri = r.Uri,
                    Unreachable = true,
                    Code = failure.Code ?? 38,
                };
            default:
                throw new LibvirtException($"libvirt at {r.Uri}: {call}: {failure.Message ?? "failed"}")
                {
                    Uri = r.Uri,
                    Code = failure.Code,
                };
        }
    }

    private static LibvirtException NotRecorded(LibvirtRecording r, string call) =>
        new($"libvirt at {r.Uri}: {call}: not in the recording") { Uri = r.Uri };

    /// <summary>The groups of a record that were asked for (a real daemon returns nothing of the others).</summary>
    private static Stats.DomainStats Only(Stats.DomainStats s, DomainStatsGroups groups) => s with
    {
        State = groups.HasFlag(DomainStatsGroups.State) ? s.State : null,
        Cpu = groups.HasFlag(DomainStatsGroups.CpuTotal) ? s.Cpu : null,
        Balloon = groups.HasFlag(DomainStatsGroups.Balloon) ? s.Balloon : null,
        Vcpu = groups.HasFlag(DomainStatsGroups.Vcpu) ? s.Vcpu : null,
        Nets = groups.HasFlag(DomainStatsGroups.Interface) ? s.Nets : null,
        Blocks = groups.HasFlag(DomainStatsGroups.Block) ? s.Blocks : null,
    };

    private static bool Reachable(LibvirtRecording r) =>
        r.Failures is null || !r.Failures.TryGetValue("*", out var all) || all.Kind == "error";

    private ConnectionChange Change(LibvirtRecording r) => Reachable(r)
        ? new ConnectionChange(time.GetUtcNow(), r.Uri, true, null)
        : new ConnectionChange(time.GetUtcNow(), r.Uri, false, r.Failures!["*"].Message ?? r.Failures["*"].Kind);

    private async Task EmitAsync(IReadOnlyList<RecordedEvent> scripted, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var e in scripted)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(e.AfterMilliseconds), time, cancellationToken);
                events.OnNext(e.ToEvent(time.GetUtcNow()));
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed before the script ended.
        }
    }
}
