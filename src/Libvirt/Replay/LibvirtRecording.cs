using System.Text.Json.Serialization;

namespace OneKvm.Libvirt.Replay;

/// <summary>
/// What a libvirt daemon answered, as <see cref="ILibvirtClient"/> returns it: the domain list,
/// the stats records, each domain's XML by UUID, the host's capabilities and CPU baseline, the
/// versions, scripted events and scripted failures. Replayed in process by
/// <see cref="ReplayLibvirtClient"/> (fixture tests, <c>--Libvirt:Replay=FILE</c>). A member left
/// null makes its call fail as "not recorded", so a test never passes on answers nobody recorded.
/// </summary>
public sealed record LibvirtRecording
{
    /// <summary>The URI the recording claims to come from (named in every error).</summary>
    public string Uri { get; init; } = "qemu:///system";

    /// <summary>Where and when it was recorded (free text, for the fixture's README).</summary>
    public string? Origin { get; init; }

    public IReadOnlyList<DomainInfo>? Domains { get; init; }

    public IReadOnlyList<DomainStatsRecord>? Stats { get; init; }

    /// <summary>Live domain XML by lower-case UUID.</summary>
    public IReadOnlyDictionary<string, string>? Xml { get; init; }

    public string? Capabilities { get; init; }

    public string? DomainCapabilities { get; init; }

    /// <summary>The answer of <c>virConnectBaselineCPU</c> (with expanded features) over the capabilities' host CPU.</summary>
    public string? Baseline { get; init; }

    /// <summary>Guest-agent answers (<c>virDomainQemuAgentCommand</c>) by domain UUID; a domain without one has no agent.</summary>
    public IReadOnlyDictionary<string, string>? AgentReplies { get; init; }

    public RecordedVersion? Version { get; init; }

    /// <summary>
    /// Calls that fail: key <c>*</c> (every call) or a call name of <see cref="ReplayCall"/>
    /// (<c>list</c>, <c>stats</c>, <c>xml</c>, <c>capabilities</c>, <c>domcapabilities</c>,
    /// <c>baseline</c>, <c>version</c>, <c>setshares</c>); see <see cref="RecordedFailure"/>.
    /// </summary>
    public IReadOnlyDictionary<string, RecordedFailure>? Failures { get; init; }

    /// <summary>Events emitted after the client is created, each <see cref="RecordedEvent.AfterMilliseconds"/> after the previous one.</summary>
    public IReadOnlyList<RecordedEvent>? Events { get; init; }
}

/// <summary>Versions as libvirt prints them (<c>9.0.0</c>).</summary>
public sealed record RecordedVersion(string Library, string Daemon);

/// <summary>
/// A scripted failure. <see cref="Kind"/> <c>unreachable</c>: the daemon cannot be reached
/// (<see cref="LibvirtException.Unreachable"/>, <see cref="Message"/> is libvirt's text);
/// <c>error</c>: the call fails with <see cref="Message"/>; <c>hang</c>: the call never answers and
/// fails at the client's deadline (<see cref="LibvirtException.TimedOut"/>).
/// </summary>
public sealed record RecordedFailure(string Kind, string? Message = null, int? Code = null);

/// <summary>
/// One scripted (or, on the daemon's socket, streamed) domain event; <see cref="DeviceAlias"/> and
/// <see cref="Tunables"/> as in <see cref="DomainEvent"/> (left out of the JSON when null).
/// </summary>
public sealed record RecordedEvent(
    int AfterMilliseconds, string Uuid, string Name, int? Id, DomainEventKind Kind, int Detail,
    string? DeviceAlias = null, IReadOnlyDictionary<string, string>? Tunables = null)
{
    /// <summary>The event as a client publishes it, stamped <paramref name="time"/>.</summary>
    public DomainEvent ToEvent(DateTimeOffset time) =>
        new(time, Uuid, Name, Id, Kind, Detail) { DeviceAlias = DeviceAlias, Tunables = Tunables };

    /// <summary>The record of <paramref name="e"/> (its time is not kept).</summary>
    public static RecordedEvent From(DomainEvent e, int afterMilliseconds = 0) =>
        new(afterMilliseconds, e.Uuid, e.Name, e.Id, e.Kind, e.Detail, e.DeviceAlias, e.Tunables);
}

[JsonSerializable(typeof(LibvirtRecording))]
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    WriteIndented = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
public sealed partial class LibvirtRecordingJson : JsonSerializerContext;
