namespace OneKvm.Libvirt.Stats;

/// <summary>
/// One domain's record of <c>virConnectGetAllDomainStats</c> (the typed parameters behind
/// <c>virsh domstats</c>). A group is null when libvirt returned none of its keys (not requested,
/// unsupported, or skipped by <c>VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT</c> for a busy domain);
/// inside a group each field is null when its key was absent. Units are libvirt's: times in ns, memory in KiB, bytes.
/// </summary>
public sealed record DomainStats(
    string Name,
    DomainStateStat? State,
    DomainCpuStat? Cpu,
    DomainBalloonStat? Balloon,
    DomainVcpuStat? Vcpu,
    IReadOnlyList<DomainNetStat>? Nets,
    IReadOnlyList<DomainBlockStat>? Blocks);

/// <summary><c>state.state</c> / <c>state.reason</c> (libvirt's enums).</summary>
public sealed record DomainStateStat(int State, int Reason);

/// <summary><c>cpu.time</c>, <c>cpu.user</c>, <c>cpu.system</c> in nanoseconds.</summary>
public sealed record DomainCpuStat(ulong? TimeNs, ulong? UserNs, ulong? SystemNs);

/// <summary><c>balloon.*</c>: sizes in KiB; guest statistics only with a balloon driver in the guest.</summary>
public sealed record DomainBalloonStat(
    ulong? CurrentKiB,
    ulong? MaximumKiB,
    ulong? RssKiB,
    ulong? UnusedKiB,
    ulong? AvailableKiB,
    ulong? UsableKiB,
    ulong? SwapInKiB,
    ulong? SwapOutKiB,
    long? LastUpdateEpochSeconds);

/// <summary><c>vcpu.current</c>, <c>vcpu.maximum</c> and the (possibly sparse) per-vCPU entries.</summary>
public sealed record DomainVcpuStat(uint? Current, uint? Maximum, IReadOnlyList<VcpuStat> Vcpus);

/// <summary><c>vcpu.N.*</c>: state 0 offline / 1 running / 2 blocked; times in ns (10 ms granularity).</summary>
public sealed record VcpuStat(int Index, int? State, ulong? TimeNs, ulong? WaitNs, ulong? DelayNs);

/// <summary><c>net.N.*</c>, counters from the guest's point of view (libvirt swaps tap rx/tx).</summary>
public sealed record DomainNetStat(
    int Index,
    string? Name,
    ulong? RxBytes,
    ulong? RxPackets,
    ulong? RxErrors,
    ulong? RxDrops,
    ulong? TxBytes,
    ulong? TxPackets,
    ulong? TxErrors,
    ulong? TxDrops);

/// <summary><c>block.N.*</c>: times in ns, sizes in bytes, requests as counts.</summary>
public sealed record DomainBlockStat(
    int Index,
    string? Name,
    string? Path,
    int? BackingIndex,
    ulong? ReadRequests,
    ulong? ReadBytes,
    ulong? ReadTimeNs,
    ulong? WriteRequests,
    ulong? WriteBytes,
    ulong? WriteTimeNs,
    ulong? FlushRequests,
    ulong? FlushTimeNs,
    ulong? AllocationBytes,
    ulong? CapacityBytes,
    ulong? PhysicalBytes);
