using System.Globalization;
using OneKvm.Driver.Virsh;

namespace OneKvm.Driver;

/// <summary>
/// The kvmrc variables the actions use (<c>/var/tmp/one/etc/vmm/kvm/kvmrc</c>, or
/// <c>ONEKVM_KVMRC</c>), with upstream's defaults when a variable is unset.
/// </summary>
public sealed record DriverSettings
{
    public const string DefaultKvmrcPath = OneKvm.Libvirt.Configuration.Kvmrc.DefaultPath;

    public VirshOptions Virsh { get; init; } = new();

    /// <summary><c>SHUTDOWN_TIMEOUT</c>: seconds to wait for an ACPI shutdown (120 when unset, as upstream).</summary>
    public int ShutdownTimeoutSeconds { get; init; } = 120;

    /// <summary><c>FORCE_DESTROY=yes</c>: destroy the domain when the shutdown times out.</summary>
    public bool ForceDestroy { get; init; }

    /// <summary><c>CANCEL_NO_ACPI=yes</c>: destroy instead of shutdown when the domain has no ACPI.</summary>
    public bool CancelNoAcpi { get; init; }

    /// <summary><c>VIRSH_RETRIES</c> (upstream's Ruby side reads the misspelt <c>VIRSH_TRIES</c>; both accepted).</summary>
    public int VirshRetries { get; init; } = 3;

    /// <summary><c>QEMU_PROTOCOL</c>: scheme of the migration destination URI.</summary>
    public string QemuProtocol { get; init; } = "qemu+ssh";

    /// <summary><c>MIGRATE_OPTIONS</c>: extra <c>virsh migrate</c> options, e.g. <c>--unsafe</c>.</summary>
    public IReadOnlyList<string> MigrateOptions { get; init; } = [];

    /// <summary>kvmrc's <c>DEFAULT_ATTACH_*</c> values, keyed by the DISK attribute they default (<c>CACHE</c>, <c>DISCARD</c>, <c>TOTAL_BYTES_SEC</c>, …).</summary>
    public IReadOnlyDictionary<string, string> AttachDiskDefaults { get; init; } = new Dictionary<string, string>();

    /// <summary>How long detach_disk waits for the guest to release the device (kvmrc <c>ONEKVM_DETACH_TIMEOUT</c>, a OneKvm addition).</summary>
    public TimeSpan DetachTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Every kvmrc variable as read.</summary>
    public IReadOnlyDictionary<string, string> Kvmrc { get; init; } = new Dictionary<string, string>();

    /// <summary><c>SYNC_TIME=yes</c>: <c>virsh domtime --sync</c> after restore and migrate.</summary>
    public bool SyncTime { get; init; }

    /// <summary><c>CLEANUP_MEMORY_ON_START=yes</c>: drop caches and compact memory before deploy / memory resize.</summary>
    public bool CleanupMemoryOnStart { get; init; }

    /// <summary><c>CLEANUP_MEMORY_ON_STOP=yes</c>: the same after shutdown / cancel.</summary>
    public bool CleanupMemoryOnStop { get; init; }

    /// <summary>
    /// kvmrc <c>ONEKVM_JOB_TIMEOUT</c> (seconds; a OneKvm addition): limit of a libvirt job (save, restore,
    /// migrate, snapshot, create). Unset or 0: none, as upstream — the action waits while libvirt works.
    /// </summary>
    public TimeSpan? JobTimeout { get; init; }

    /// <summary><c>LIBVIRT_MD_URI</c> / <c>LIBVIRT_MD_KEY</c>: where OpenNebula's domain metadata lives.</summary>
    public string MetadataUri { get; init; } = "http://opennebula.org/xmlns/libvirt/1.0";

    public string MetadataKey { get; init; } = "one";

    /// <summary>Where exec keeps the guest command's pid (<c>one-&lt;vm_id&gt;</c>), read by the EXEC_VM monitor: <c>/var/run/one</c> (kvmrc <c>ONEKVM_EXEC_DIR</c>).</summary>
    public string ExecStateDirectory { get; init; } = "/var/run/one";

    /// <summary><c>OVMF_NVRAM</c>: the template deploy copies to a missing <c>&lt;nvram&gt;</c> file.</summary>
    public string NvramTemplate { get; init; } = "/usr/share/OVMF/OVMF_VARS.fd";

    /// <summary>The ssh and rsync programs of a migration on local storage (kvmrc <c>ONEKVM_SSH</c> / <c>ONEKVM_RSYNC</c>, OneKvm additions).</summary>
    public string SshPath { get; init; } = "ssh";

    public string RsyncPath { get; init; } = "rsync";

    /// <summary>How often the shutdown poll asks libvirt for the domain state.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Builds settings from kvmrc variables; a malformed number names the variable and file.</summary>
    public static DriverSettings FromKvmrc(IReadOnlyDictionary<string, string> vars, string fileName)
    {
        int Int(string name, int fallback)
        {
            if (!vars.TryGetValue(name, out var text) || text.Length == 0) return fallback;
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0
                ? value
                : throw new FormatException($"{fileName}: {name}='{text}' is not a non-negative whole number");
        }
        static TimeSpan? Seconds(int value) => value > 0 ? TimeSpan.FromSeconds(value) : null;
        bool Yes(string name) => vars.TryGetValue(name, out var v) && v.Equals("yes", StringComparison.OrdinalIgnoreCase);

        return new DriverSettings
        {
            Virsh = new VirshOptions
            {
                Uri = vars.GetValueOrDefault("LIBVIRT_URI") is { Length: > 0 } uri ? uri : "qemu:///system",
                CallTimeout = Seconds(Int("ONEKVM_VIRSH_TIMEOUT", 0)),
            },
            JobTimeout = Seconds(Int("ONEKVM_JOB_TIMEOUT", 0)),
            SyncTime = Yes("SYNC_TIME"),
            ExecStateDirectory = vars.GetValueOrDefault("ONEKVM_EXEC_DIR") is { Length: > 0 } execDir ? execDir : "/var/run/one",
            CleanupMemoryOnStart = Yes("CLEANUP_MEMORY_ON_START"),
            CleanupMemoryOnStop = Yes("CLEANUP_MEMORY_ON_STOP"),
            MetadataUri = vars.GetValueOrDefault("LIBVIRT_MD_URI") is { Length: > 0 } mdUri ? mdUri : "http://opennebula.org/xmlns/libvirt/1.0",
            MetadataKey = vars.GetValueOrDefault("LIBVIRT_MD_KEY") is { Length: > 0 } mdKey ? mdKey : "one",
            ShutdownTimeoutSeconds = Int("SHUTDOWN_TIMEOUT", 120),
            ForceDestroy = Yes("FORCE_DESTROY"),
            CancelNoAcpi = Yes("CANCEL_NO_ACPI"),
            VirshRetries = Int("VIRSH_RETRIES", Int("VIRSH_TRIES", 3)),
            QemuProtocol = vars.GetValueOrDefault("QEMU_PROTOCOL") is { Length: > 0 } p ? p : "qemu+ssh",
            MigrateOptions = vars.GetValueOrDefault("MIGRATE_OPTIONS")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [],
            Kvmrc = vars,
            SshPath = vars.GetValueOrDefault("ONEKVM_SSH") is { Length: > 0 } ssh ? ssh : "ssh",
            RsyncPath = vars.GetValueOrDefault("ONEKVM_RSYNC") is { Length: > 0 } rsync ? rsync : "rsync",
            NvramTemplate = vars.GetValueOrDefault("OVMF_NVRAM") is { Length: > 0 } nvram ? nvram : "/usr/share/OVMF/OVMF_VARS.fd",
            DetachTimeout = TimeSpan.FromSeconds(Int("ONEKVM_DETACH_TIMEOUT", 10)),
            AttachDiskDefaults = vars
                .Where(kv => kv.Key.StartsWith("DEFAULT_ATTACH_", StringComparison.Ordinal) && !kv.Key.StartsWith("DEFAULT_ATTACH_NIC", StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key["DEFAULT_ATTACH_".Length..], kv => kv.Value, StringComparer.Ordinal),
        };
    }

    /// <summary>Evaluates kvmrc at <paramref name="path"/> with bash (<see cref="Kvmrc"/>); a missing file gives the defaults.</summary>
    /// <exception cref="FormatException">kvmrc failed to evaluate or holds a bad value; the message names the file.</exception>
    public static DriverSettings Load(string path)
    {
        if (!File.Exists(path)) return new DriverSettings();
        return FromKvmrc(OneKvm.Libvirt.Configuration.Kvmrc.Evaluate(path), path);
    }
}
