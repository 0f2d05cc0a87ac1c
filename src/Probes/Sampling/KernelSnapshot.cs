using OneKvm.Cgroups;
using OneKvm.Cgroups.Proc;
using OneKvm.Probes.Host.Kernel;

namespace OneKvm.Probes.Sampling;

/// <summary>
/// One read of the host kernel's changing files, the one source of these facts for every consumer:
/// <c>/proc/stat</c> (MONITOR_HOST's FREECPU/USEDCPU, the audit's non-VM load), <c>/proc/meminfo</c>
/// (USEDMEMORY, TOTALMEMORY, the reservations), the online CPUs (TOTALCPU, the audit's capacity),
/// <c>/proc/net/dev</c> (NETRX/NETTX), the NUMA nodes and the mounts (cgroup layout, CGROUPS_VERSION,
/// datastores). Each part is read on its own: a part that cannot be read is null and its error is
/// kept in <see cref="Errors"/>, naming the file; the other parts are still there.
/// </summary>
/// <param name="TakenAt">When the read ended.</param>
public sealed record KernelSnapshot(DateTimeOffset TakenAt)
{
    public const string StatPart = "stat";
    public const string MemoryPart = "meminfo";
    public const string MemTotalPart = "MemTotal";
    public const string OnlineCpusPart = "online CPUs";
    public const string NetDevicesPart = "net/dev";
    public const string NumaPart = "NUMA nodes";
    public const string MountsPart = "mountinfo";

    /// <summary><c>/proc/stat</c>: aggregate ticks, <c>cpuN</c> lines, boot time.</summary>
    public ProcStat? Stat { get; init; }

    /// <summary><c>/proc/meminfo</c>'s figures of MONITOR_HOST (MemTotal, MemFree, Buffers, Cached).</summary>
    public MemInfo? Memory { get; init; }

    /// <summary><c>MemTotal</c> of <c>/proc/meminfo</c>, KiB (TOTALMEMORY, the reservations), known even when another line is missing.</summary>
    public ulong? MemTotalKib { get; init; }

    /// <summary>Online hardware threads: <c>devices/system/cpu/online</c>, else the <c>cpuN</c> lines of <c>/proc/stat</c> (the one place of this rule).</summary>
    public int? OnlineCpus { get; init; }

    /// <summary>Every network device of <c>/proc/net/dev</c> (physical or not).</summary>
    public IReadOnlyList<NetDevice>? NetDevices { get; init; }

    /// <summary>Per-node memory and hugepages.</summary>
    public IReadOnlyList<NumaNode>? Numa { get; init; }

    /// <summary><c>/proc/self/mountinfo</c>.</summary>
    public IReadOnlyList<MountInfo>? Mounts { get; init; }

    /// <summary>Why a part is missing, by part name (<see cref="StatPart"/>, …); empty when every part was read.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The part's value, or a <see cref="ProbeException"/> with its read error.</summary>
    public TPart Require<TPart>(TPart? value, string part)
        where TPart : class =>
        value ?? throw new ProbeException(Errors.GetValueOrDefault(part) ?? $"{part} not read");

    /// <summary>The part's value, or a <see cref="ProbeException"/> with its read error.</summary>
    public TPart Require<TPart>(TPart? value, string part)
        where TPart : struct =>
        value ?? throw new ProbeException(Errors.GetValueOrDefault(part) ?? $"{part} not read");

    /// <summary>TOTALCPU: 100 per online CPU; null when neither sysfs nor <c>/proc/stat</c> says.</summary>
    public int? TotalCpu => OnlineCpus * 100;

    /// <summary>Reads every part through <paramref name="paths"/>; never throws for a kernel file.</summary>
    public static KernelSnapshot Read(HostPaths paths, TimeProvider time)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        // Parts are values or records; a value part is boxed so one helper reads them all.
        T? Part<T>(string name, Func<T> read)
            where T : class
        {
            try
            {
                return read();
            }
            catch (Exception e) when (e is FormatException or KernelFileException or IOException or UnauthorizedAccessException)
            {
                errors[name] = e.Message;
                return null;
            }
        }
        var stat = Part(StatPart, () => ProcStatParser.Read(paths));
        var online = Part(OnlineCpusPart, () => (object)OnlineCpusOf(paths, stat));
        var meminfoPath = paths.ProcPath("meminfo");
        var meminfo = Part(MemoryPart, () => MemInfoParser.Parse(KernelFile.Read(meminfoPath), meminfoPath));
        var memTotal = meminfo is null ? null : Part(MemTotalPart, () => meminfo.TryGetValue("MemTotal", out var kib)
            ? (object)kib
            : throw new FormatException($"{meminfoPath}: no MemTotal line"));
        if (meminfo is null) errors[MemTotalPart] = errors[MemoryPart];
        var snapshot = new KernelSnapshot(DateTimeOffset.MinValue)
        {
            Stat = stat,
            OnlineCpus = online as int?,
            Memory = meminfo is null ? null : Part(MemoryPart, () => MemInfo.From(meminfo, meminfoPath)),
            MemTotalKib = memTotal as ulong?,
            NetDevices = Part(NetDevicesPart, () => NetDevParser.Read(paths)),
            Numa = Part(NumaPart, () => NumaReader.Read(paths)),
            Mounts = Part(MountsPart, () => MountInfoParser.Read(paths)),
        };
        return snapshot with { TakenAt = time.GetUtcNow(), Errors = errors };
    }

    private static int OnlineCpusOf(HostPaths paths, ProcStat? stat)
    {
        if (CpuTopology.ReadOnline(paths) is { } online) return online.Count;
        if (stat is { OnlineCpus: > 0 } s) return s.OnlineCpus;
        throw new FormatException($"{paths.SysPath("devices", "system", "cpu", "online")} not found and {paths.ProcPath("stat")} has no cpuN lines: online CPUs unknown");
    }
}
