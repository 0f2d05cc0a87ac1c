using System.Globalization;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Text;
using System.Text.Json;
using OneKvm.Libvirt;
using OneKvm.Libvirt.Replay;
using OneKvm.Probes.Sampling;

namespace OneKvm.Collector.Sharing;

/// <summary>
/// <see cref="ILibvirtClient"/> through the host daemon's <see cref="SamplerSocketServer"/>: the
/// agent and <c>--once</c> use it when a daemon answers on the socket, so the host keeps one libvirt
/// connection and one stats read per period. Each call is one short connection with the deadline of
/// <see cref="LibvirtClientOptions.CallTimeout"/>; the daemon's libvirt errors come back as they are.
/// </summary>
public sealed class SocketLibvirtClient(string socketPath, string uri, TimeSpan deadline) : ILibvirtClient
{
    private readonly Lazy<IObservable<DomainEvent>> events = new(() => EventStream(socketPath).Publish().RefCount());

    public string Uri => uri;

    public IObservable<DomainEvent> Events => events.Value;

    public IObservable<ConnectionChange> ConnectionChanges => Observable.Never<ConnectionChange>();

    /// <summary>True when a daemon accepts connections on <paramref name="socketPath"/>.</summary>
    public static bool Answers(string socketPath)
    {
        if (!File.Exists(socketPath)) return false;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<DomainInfo>> ListDomainsAsync(bool includeInactive, CancellationToken cancellationToken) =>
        (await AskAsync("list", cancellationToken)).Domains ?? [];

    public async Task<IReadOnlyList<DomainStatsRecord>> GetAllDomainStatsAsync(DomainStatsGroups groups, CancellationToken cancellationToken) =>
        (await AskAsync("stats", cancellationToken)).Stats ?? [];

    public async Task<string> GetDomainXmlAsync(string uuid, CancellationToken cancellationToken) =>
        (await AskAsync($"xml {uuid}", cancellationToken)).Xml?.Values.FirstOrDefault() ?? throw Empty("xml");

    public async Task<string> GetCapabilitiesAsync(CancellationToken cancellationToken) =>
        (await AskAsync("capabilities", cancellationToken)).Capabilities ?? throw Empty("capabilities");

    public async Task<string> GetDomainCapabilitiesAsync(string? emulator, string? arch, string? machine, string? virtType, CancellationToken cancellationToken) =>
        (await AskAsync(arch is null ? "domcapabilities" : $"domcapabilities {arch}", cancellationToken)).DomainCapabilities ?? throw Empty("domcapabilities");

    public async Task<string> BaselineCpuAsync(IReadOnlyList<string> cpuXml, bool expandFeatures, CancellationToken cancellationToken) =>
        (await AskAsync("baseline", cancellationToken)).Baseline ?? throw Empty("baseline");

    public async Task<LibvirtVersion> GetVersionAsync(CancellationToken cancellationToken)
    {
        var v = (await AskAsync("version", cancellationToken)).Version ?? throw Empty("version");
        return new LibvirtVersion(System.Version.Parse(v.Library), System.Version.Parse(v.Daemon));
    }

    public Task SetCpuSharesAsync(string uuid, ulong shares, bool persistent, CancellationToken cancellationToken) =>
        AskAsync(string.Create(CultureInfo.InvariantCulture, $"setshares {uuid} {shares}"), cancellationToken);

    public async Task<string> QemuAgentCommandAsync(string uuid, string command, int timeoutSeconds, CancellationToken cancellationToken) =>
        (await AskAsync(string.Create(CultureInfo.InvariantCulture,
            $"agent {uuid} {timeoutSeconds} {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(command))}"), cancellationToken))
            .AgentReplies?.Values.FirstOrDefault() ?? throw Empty("agent");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The daemon's domain snapshot (<c>snapshot</c>), with its CPU and memory as the daemon measured them.</summary>
    /// <param name="notBefore">When set, the snapshot is taken at or after it (else the daemon's latest while fresh).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="LibvirtException">the daemon did not answer (<see cref="DaemonGone"/>), or its read failed.</exception>
    public async Task<DomainSnapshot> ReadSnapshotAsync(DateTimeOffset? notBefore, CancellationToken cancellationToken)
    {
        var request = notBefore is { } t ? string.Create(CultureInfo.InvariantCulture, $"snapshot {Math.Max(0, t.ToUnixTimeMilliseconds())}") : "snapshot";
        var line = await AskLineAsync(request, cancellationToken);
        try
        {
            var answer = JsonSerializer.Deserialize(line, SharedSnapshotJson.Default.SharedSnapshot) ?? throw Empty(request);
            if (answer.Failure is { } failure) throw Failed(failure);
            return answer.ToSnapshot();
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new LibvirtException($"libvirt at {uri} through the daemon's socket {socketPath}: unreadable answer to {request}: {e.Message}", e) { Uri = uri };
        }
    }

    /// <summary>True when <paramref name="e"/> says the daemon itself did not answer (socket gone, connection refused or broken), not that its libvirt failed.</summary>
    public static bool DaemonGone(LibvirtException e) => e.InnerException is SocketException or IOException;

    private async Task<LibvirtRecording> AskAsync(string request, CancellationToken cancellationToken)
    {
        var line = await AskLineAsync(request, cancellationToken);
        var answer = JsonSerializer.Deserialize(line, LibvirtRecordingJson.Default.LibvirtRecording) ?? throw Empty(request);
        if (answer.Failures?.GetValueOrDefault("*") is { } failure) throw Failed(failure);
        return answer;
    }

    /// <summary>One request, one answer line, within the deadline.</summary>
    private async Task<string> AskLineAsync(string request, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(deadline);
        string? line;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), limit.Token);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await stream.WriteAsync(Encoding.UTF8.GetBytes(request + "\n"), limit.Token);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            line = await reader.ReadLineAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LibvirtException($"libvirt at {uri} through the daemon's socket {socketPath}: no answer to {request} within {deadline.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s")
            {
                Uri = uri,
                TimedOut = true,
            };
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            throw new LibvirtException($"libvirt at {uri} through the daemon's socket {socketPath}: {e.Message}", e) { Uri = uri, Unreachable = true };
        }
        // The daemon closed the connection without an answer (it is stopping).
        return line ?? throw new LibvirtException($"libvirt at {uri} through the daemon's socket {socketPath}: no answer to {request}", new IOException("connection closed")) { Uri = uri, Unreachable = true };
    }

    private LibvirtException Failed(RecordedFailure failure) => new(failure.Message ?? "failed")
    {
        Uri = uri,
        Code = failure.Code,
        TimedOut = failure.Kind == "timeout",
        Unreachable = failure.Kind == "unreachable",
    };

    private LibvirtException Empty(string request) =>
        new($"libvirt at {uri} through the daemon's socket {socketPath}: empty answer to {request}") { Uri = uri };

    /// <summary>The daemon's domain events over one long connection; reconnects after a pause when the daemon goes.</summary>
    private static IObservable<DomainEvent> EventStream(string socketPath) => Observable.Create<DomainEvent>(async (observer, cancellationToken) =>
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                await using var stream = new NetworkStream(socket, ownsSocket: false);
                await stream.WriteAsync("events\n"u8.ToArray(), cancellationToken);
                using var reader = new StreamReader(stream, Encoding.UTF8);
                while (await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    foreach (var e in JsonSerializer.Deserialize(line, LibvirtRecordingJson.Default.LibvirtRecording)?.Events ?? [])
                        observer.OnNext(e.ToEvent(DateTimeOffset.UnixEpoch));
                }
            }
            catch (Exception e) when (e is SocketException or IOException or JsonException)
            {
                // Daemon gone or restarting: try again shortly.
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    });
}
