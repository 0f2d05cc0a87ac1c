using OneKvm.Libvirt.Stats;

namespace OneKvm.Libvirt;

/// <summary>
/// The host's libvirt, as every reading path sees it: one persistent connection per process
/// (the native client over <c>libvirt.so.0</c>), or a recording replayed in process (tests, the scale harness). Every call
/// has a deadline; a call that misses it fails with a <see cref="LibvirtException"/> naming the URI
/// and never blocks the next call. Calls are thread-safe.
/// </summary>
public interface ILibvirtClient : IAsyncDisposable
{
    /// <summary>The connection URI, e.g. <c>qemu:///system</c> (named in every error).</summary>
    string Uri { get; }

    /// <summary>Every domain libvirt knows (<c>virConnectListAllDomains</c>), with its state; active ones only unless <paramref name="includeInactive"/>.</summary>
    Task<IReadOnlyList<DomainInfo>> ListDomainsAsync(bool includeInactive, CancellationToken cancellationToken);

    /// <summary>
    /// Statistics of every active domain (<c>virConnectGetAllDomainStats</c> with
    /// <c>ACTIVE | NOWAIT</c>) for the requested groups only.
    /// </summary>
    Task<IReadOnlyList<DomainStatsRecord>> GetAllDomainStatsAsync(DomainStatsGroups groups, CancellationToken cancellationToken);

    /// <summary>The live XML of a domain (<c>virDomainGetXMLDesc</c>, flags 0), by lower-case UUID.</summary>
    /// <exception cref="LibvirtException">no such domain (<see cref="LibvirtException.NoDomain"/>), or the call failed.</exception>
    Task<string> GetDomainXmlAsync(string uuid, CancellationToken cancellationToken);

    /// <summary><c>virConnectGetCapabilities</c>.</summary>
    Task<string> GetCapabilitiesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// <c>virConnectGetDomainCapabilities</c> (needs a read-write connection); null arguments let
    /// libvirt choose, as <c>virsh domcapabilities</c> without options does.
    /// </summary>
    Task<string> GetDomainCapabilitiesAsync(string? emulator, string? arch, string? machine, string? virtType, CancellationToken cancellationToken);

    /// <summary><c>virConnectBaselineCPU</c> of the given <c>&lt;cpu&gt;</c> elements, with <c>VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES</c> when asked.</summary>
    Task<string> BaselineCpuAsync(IReadOnlyList<string> cpuXml, bool expandFeatures, CancellationToken cancellationToken);

    /// <summary>The library's and the daemon's versions (<c>virConnectGetLibVersion</c>); a call that needs a live daemon.</summary>
    Task<LibvirtVersion> GetVersionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Sets a running domain's CPU shares (<c>virDomainSetSchedulerParametersFlags</c>,
    /// <c>cpu_shares</c>, live and, when <paramref name="persistent"/>, config); read-write connection.
    /// </summary>
    Task SetCpuSharesAsync(string uuid, ulong shares, bool persistent, CancellationToken cancellationToken);

    /// <summary>
    /// Sends a QEMU guest-agent JSON command to a running domain (<c>virDomainQemuAgentCommand</c>
    /// of <c>libvirt-qemu.so.0</c>; read-write connection) and returns the agent's JSON answer;
    /// libvirt waits at most <paramref name="timeoutSeconds"/> for the agent.
    /// </summary>
    Task<string> QemuAgentCommandAsync(string uuid, string command, int timeoutSeconds, CancellationToken cancellationToken);

    /// <summary>
    /// Domain lifecycle and metadata events as they arrive (libvirt's event loop thread); never
    /// completes, never errors: a lost connection shows in <see cref="ConnectionChanges"/>, and events
    /// resume after reconnection.
    /// </summary>
    IObservable<DomainEvent> Events { get; }

    /// <summary>Connection opened, lost (keepalive, close callback, daemon gone) and reopened.</summary>
    IObservable<ConnectionChange> ConnectionChanges { get; }
}

/// <summary>A domain as listed: identity and state (<c>virDomainGetState</c>).</summary>
/// <param name="Uuid">Lower-case canonical UUID: the key of a domain everywhere in OneKvm.</param>
/// <param name="Name">Domain name.</param>
/// <param name="Id">libvirt's runtime id (changes on every start); null while inactive.</param>
/// <param name="State">virDomainState (0 nostate, 1 running, 2 blocked, 3 paused, 4 shutdown, 5 shutoff, 6 crashed, 7 pmsuspended).</param>
/// <param name="Reason">The state's reason enum (libvirt-domain.h).</param>
public sealed record DomainInfo(string Uuid, string Name, int? Id, int State, int Reason);

/// <summary>One stats record with the identity of its domain.</summary>
public sealed record DomainStatsRecord(string Uuid, int? Id, DomainStats Stats)
{
    public string Name => Stats.Name;

    /// <summary>Fields dropped from this record because libvirt's value did not fit them (key, value, why); empty normally.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>The stat groups of <c>virConnectGetAllDomainStats</c> (values of <c>virDomainStatsTypes</c>).</summary>
[Flags]
public enum DomainStatsGroups : uint
{
    None = 0,
    State = 1 << 0,
    CpuTotal = 1 << 1,
    Balloon = 1 << 2,
    Vcpu = 1 << 3,
    Interface = 1 << 4,
    Block = 1 << 5,

    /// <summary>The groups OneKvm's projections use.</summary>
    Used = State | CpuTotal | Balloon | Vcpu | Interface | Block,
}

/// <summary>Library and daemon versions, as <c>major * 1,000,000 + minor * 1,000 + release</c> decoded.</summary>
public sealed record LibvirtVersion(Version Library, Version Daemon);

/// <summary>
/// A domain event. <see cref="Kind"/> values 0-8 are libvirt's <c>virDomainEventType</c>; the
/// detail is the matching <c>virDomainEvent*DetailType</c> value. For the other kinds see
/// <see cref="DomainEventKind"/>: the detail of <see cref="DomainEventKind.MetadataChanged"/> is the
/// <c>virDomainMetadataType</c>, the device and tunable kinds have detail 0 and carry
/// <see cref="DeviceAlias"/> or <see cref="Tunables"/>.
/// </summary>
public sealed record DomainEvent(DateTimeOffset Time, string Uuid, string Name, int? Id, DomainEventKind Kind, int Detail)
{
    /// <summary>The device's alias (<c>virtio-disk1</c>, <c>net0</c>, <c>ua-...</c>) of a device event; null otherwise.</summary>
    public string? DeviceAlias { get; init; }

    /// <summary>
    /// The changed values of a <see cref="DomainEventKind.TunableChanged"/> event by libvirt's name
    /// (<c>cputune.cpu_shares</c>, <c>cputune.vcpu_quota</c>, <c>cputune.vcpupin0</c>,
    /// <c>blkdeviotune.disk</c>...), as culture-invariant text (integers in decimal, booleans
    /// <c>true</c>/<c>false</c>, CPU lists as libvirt writes them); null for other kinds.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Tunables { get; init; }

    /// <summary>Tunable <paramref name="name"/> as an unsigned integer (e.g. <c>cputune.cpu_shares</c>); null when absent or not one.</summary>
    public ulong? TunableUInt64(string name) =>
        Tunables?.GetValueOrDefault(name) is { } text
        && ulong.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}

/// <summary>
/// <c>virDomainEventType</c> (0-8, <c>VIR_DOMAIN_EVENT_ID_LIFECYCLE</c>), plus the other event ids
/// OneKvm listens to: <see cref="MetadataChanged"/> (<c>VIR_DOMAIN_EVENT_ID_METADATA_CHANGE</c>),
/// <see cref="DeviceAdded"/>, <see cref="DeviceRemoved"/>, <see cref="DeviceRemovalFailed"/>
/// (<c>VIR_DOMAIN_EVENT_ID_DEVICE_*</c>: a live attach or detach of a disk, NIC...) and
/// <see cref="TunableChanged"/> (<c>VIR_DOMAIN_EVENT_ID_TUNABLE</c>: CPU shares, quota, period,
/// pinning or block I/O limits changed at run time).
/// </summary>
public enum DomainEventKind
{
    Defined = 0,
    Undefined = 1,
    Started = 2,
    Suspended = 3,
    Resumed = 4,
    Stopped = 5,
    Shutdown = 6,
    PmSuspended = 7,
    Crashed = 8,
    MetadataChanged = 100,
    DeviceAdded = 101,
    DeviceRemoved = 102,
    DeviceRemovalFailed = 103,
    TunableChanged = 104,
}

/// <summary>Classes of <see cref="DomainEventKind"/>.</summary>
public static class DomainEventKinds
{
    /// <summary>A <c>virDomainEventType</c> (defined ... crashed): the domain's state or persistence changed.</summary>
    public static bool IsLifecycle(this DomainEventKind kind) => kind is >= DomainEventKind.Defined and <= DomainEventKind.Crashed;
}

/// <summary>The connection's state changed; <see cref="Reason"/> says why it closed (null when it opened).</summary>
public sealed record ConnectionChange(DateTimeOffset Time, string Uri, bool Connected, string? Reason);
