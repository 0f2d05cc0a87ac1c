using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using OneKvm.Libvirt;
using OneKvm.Libvirt.Replay;
using OneKvm.Probes.Sampling;

namespace OneKvm.Collector.Sharing;

/// <summary>
/// The host daemon's (<c>serve</c>'s) libvirt and domain snapshots, offered on a unix socket so the
/// agent, an admin's <c>--once</c> and <c>cgroups</c> use its one connection and its samples instead
/// of opening their own. One request line per connection, one answer line (JSON):
/// <list type="bullet">
/// <item><c>snapshot [NOT-BEFORE-UNIX-MS]</c>: the daemon's <see cref="DomainSampler"/> snapshot as a
/// <see cref="SharedSnapshot"/> (<c>takenAt</c>, <c>cpuSince</c>, <c>warnings</c>, and per domain
/// <c>name</c>, <c>uuid</c>, <c>id</c>, libvirt's <c>stats</c>, the QEMU process's <c>rssKiB</c> /
/// <c>swapKiB</c> and <c>cpuPercent</c>), the one the daemon's own consumers (MONITOR_VM, /metrics) read:
/// its latest while younger than its <see cref="DomainSampler.MaxAge"/>, else a new read; with
/// NOT-BEFORE one taken at or after that time. A failed read answers <c>failure</c> instead. Clients
/// report the daemon's CPU and memory as they are: every process on the host agrees.</item>
/// <item><c>stats</c>, <c>list</c>, <c>xml UUID</c>, <c>capabilities</c>, <c>domcapabilities [ARCH]</c>,
/// <c>baseline</c>, <c>version</c>, <c>setshares UUID N</c>, <c>agent UUID TIMEOUT BASE64-COMMAND</c>: a
/// <see cref="LibvirtRecording"/> with the asked part filled, or its <c>failures["*"]</c> saying why.
/// <c>stats</c> is answered from the daemon's shared domain snapshot.</item>
/// <item><c>events</c>: the connection stays open and gets one <see cref="RecordedEvent"/> JSON line
/// (in a <see cref="LibvirtRecording"/>) per domain event.</item>
/// </list>
/// The socket is created with mode 0660 in a directory of mode 0750 (root, and the group of the
/// directory, e.g. oneadmin).
/// </summary>
public sealed class SamplerSocketServer(string path, ILibvirtClient libvirt, DomainSampler domains, TextWriter log) : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private Socket? listener;
    private Task? accepting;

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Start()
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        if (File.Exists(path)) File.Delete(path); // a socket left by a daemon that died
        listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
        listener.Listen(64);
        accepting = AcceptAsync(listener, stop.Token);
    }

    private async Task AcceptAsync(Socket socket, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await socket.AcceptAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ServeAsync(client, cancellationToken);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken cancellationToken)
    {
        using var _ = client;
        await using var stream = new NetworkStream(client, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n", AutoFlush = true };
        try
        {
            var request = (await reader.ReadLineAsync(cancellationToken))?.Trim() ?? "";
            if (request == "events")
            {
                await StreamEventsAsync(writer, cancellationToken);
                return;
            }
            var words = request.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words is ["snapshot", ..])
            {
                await writer.WriteLineAsync(JsonSerializer.Serialize(await SnapshotAsync(words[1..], cancellationToken), SharedSnapshotJson.Default.SharedSnapshot));
                return;
            }
            var answer = await AnswerAsync(words, cancellationToken);
            await writer.WriteLineAsync(JsonSerializer.Serialize(answer, LibvirtRecordingJson.Default.LibvirtRecording).ReplaceLineEndings(" "));
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away.
        }
    }

    private async Task<LibvirtRecording> AnswerAsync(string[] words, CancellationToken cancellationToken)
    {
        var r = new LibvirtRecording { Uri = libvirt.Uri };
        try
        {
            return words switch
            {
                ["stats"] => r with { Stats = [.. (await domains.ReadAsync(cancellationToken)).Domains.Select(d => new DomainStatsRecord(d.Uuid, d.Id, d.Stats))] },
                ["list"] => r with { Domains = await libvirt.ListDomainsAsync(false, cancellationToken) },
                ["xml", var uuid] => r with { Xml = new Dictionary<string, string> { [uuid] = await libvirt.GetDomainXmlAsync(uuid, cancellationToken) } },
                ["capabilities"] => r with { Capabilities = await libvirt.GetCapabilitiesAsync(cancellationToken) },
                ["domcapabilities", .. var arch] => r with
                {
                    DomainCapabilities = await libvirt.GetDomainCapabilitiesAsync(null, arch.FirstOrDefault(), null, null, cancellationToken),
                },
                ["baseline"] => r with { Baseline = await BaselineAsync(cancellationToken) },
                ["version"] => r with { Version = Version(await libvirt.GetVersionAsync(cancellationToken)) },
                ["setshares", var uuid, var shares] => await SetSharesAsync(r, uuid, shares, cancellationToken),
                ["agent", var uuid, var timeout, var command] => r with
                {
                    AgentReplies = new Dictionary<string, string>
                    {
                        [uuid] = await libvirt.QemuAgentCommandAsync(uuid, System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(command)),
                            int.Parse(timeout, NumberStyles.None, CultureInfo.InvariantCulture), cancellationToken),
                    },
                },
                _ => r with { Failures = Failure("error", $"unknown request '{string.Join(' ', words)}'", null) },
            };
        }
        catch (LibvirtException e)
        {
            return r with { Failures = Failure(Kind(e), e.Message, e.Code) };
        }
    }

    private async Task<SharedSnapshot> SnapshotAsync(string[] arguments, CancellationToken cancellationToken)
    {
        DateTimeOffset? notBefore = null;
        if (arguments is [var text])
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
                return new SharedSnapshot { Failure = new RecordedFailure("error", $"snapshot: not-before '{text}' is not a Unix time in milliseconds") };
            notBefore = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }
        else if (arguments.Length > 1)
        {
            return new SharedSnapshot { Failure = new RecordedFailure("error", "snapshot takes at most one argument (not-before, Unix milliseconds)") };
        }
        try
        {
            return SharedSnapshot.From(await domains.ReadAsync(cancellationToken, notBefore));
        }
        catch (LibvirtException e)
        {
            return new SharedSnapshot { Failure = new RecordedFailure(Kind(e), e.Message, e.Code) };
        }
    }

    private async Task<LibvirtRecording> SetSharesAsync(LibvirtRecording r, string uuid, string shares, CancellationToken cancellationToken)
    {
        await libvirt.SetCpuSharesAsync(uuid, ulong.Parse(shares, NumberStyles.None, CultureInfo.InvariantCulture), false, cancellationToken);
        return r;
    }

    /// <summary>The baseline of the daemon's own host CPU (the only baseline SYSTEM_HOST asks for).</summary>
    private async Task<string> BaselineAsync(CancellationToken cancellationToken)
    {
        var capabilities = await libvirt.GetCapabilitiesAsync(cancellationToken);
        return await libvirt.BaselineCpuAsync([Probes.Host.Libvirt.LibvirtHostReader.HostCpuElement(capabilities)], true, cancellationToken);
    }

    private async Task StreamEventsAsync(StreamWriter writer, CancellationToken cancellationToken)
    {
        var lines = System.Threading.Channels.Channel.CreateUnbounded<string>();
        using var subscription = libvirt.Events.Subscribe(e => lines.Writer.TryWrite(
            JsonSerializer.Serialize(new LibvirtRecording { Events = [RecordedEvent.From(e)] },
                LibvirtRecordingJson.Default.LibvirtRecording).ReplaceLineEndings(" ")));
        await foreach (var line in lines.Reader.ReadAllAsync(cancellationToken)) await writer.WriteLineAsync(line);
    }

    private static string Kind(LibvirtException e) => e.TimedOut ? "timeout" : e.Unreachable ? "unreachable" : "error";

    private static Dictionary<string, RecordedFailure> Failure(string kind, string message, int? code) => new() { ["*"] = new RecordedFailure(kind, message, code) };

    private static RecordedVersion Version(LibvirtVersion v) => new(Text(v.Library), Text(v.Daemon));

    private static string Text(Version v) => string.Create(CultureInfo.InvariantCulture, $"{v.Major}.{v.Minor}.{Math.Max(v.Build, 0)}");

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener?.Dispose();
        if (accepting is not null) await accepting;
        try
        {
            File.Delete(path);
        }
        catch (IOException e)
        {
            await log.WriteLineAsync($"onekvm-probe serve: cannot remove {path}: {e.Message}");
        }
        stop.Dispose();
    }
}
