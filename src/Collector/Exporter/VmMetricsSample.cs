namespace OneKvm.Collector.Exporter;

/// <summary>
/// The exporter's input for one libvirt domain, in base units (seconds, bytes); absent values are
/// null and produce no series. Filled from the shared domain snapshot (one stats read).
/// </summary>
/// <param name="Domain">libvirt domain name (<c>one-42</c>, or a wild name).</param>
/// <param name="OneVmId">OpenNebula VM id when the name matches <c>^one-(\d+)$</c>, else null.</param>
/// <param name="OneVmName">OpenNebula VM name from the domain metadata, else null.</param>
/// <param name="Uuid">libvirt domain UUID (OpenNebula's DEPLOY_ID), when known.</param>
/// <param name="State"><c>state.state</c> (0 no state … 7 pmsuspended).</param>
/// <param name="StateReason"><c>state.reason</c>.</param>
public sealed record VmMetricsSample(string Domain, int? OneVmId, string? OneVmName, string? Uuid, int? State, int? StateReason)
{
    /// <summary><c>cpu.time</c>, <c>cpu.user</c>, <c>cpu.system</c> (ns ÷ 10⁹, full precision).</summary>
    public double? CpuSeconds { get; init; }

    public double? CpuUserSeconds { get; init; }

    public double? CpuSystemSeconds { get; init; }

    /// <summary>The snapshot's <c>DomainEntry.CpuPercent</c> / 100 (host CPUs busy over the sampler's interval), as MONITOR_VM's CPU / 100.</summary>
    public double? CpuUsageRatio { get; init; }

    /// <summary><c>balloon.current</c> × 1024.</summary>
    public double? MemoryBalloonBytes { get; init; }

    /// <summary><c>balloon.maximum</c> × 1024.</summary>
    public double? MemoryMaximumBytes { get; init; }

    /// <summary>
    /// Host memory resident for the QEMU process: <c>VmRSS</c> of its <c>/proc</c> status, read with
    /// the same snapshot as MONITOR_VM (whose <c>MEMORY</c> is rss + swap, in KiB); <c>balloon.rss</c>
    /// when the process was not found.
    /// </summary>
    public double? MemoryRssBytes { get; init; }

    /// <summary><c>VmSwap</c> of the QEMU process (host swap, not the guest's).</summary>
    public double? MemoryHostSwapBytes { get; init; }

    /// <summary><c>balloon.available</c> × 1024 (guest balloon driver only).</summary>
    public double? MemoryAvailableBytes { get; init; }

    /// <summary><c>balloon.unused</c> × 1024 (guest balloon driver only).</summary>
    public double? MemoryUnusedBytes { get; init; }

    public double? MemorySwapInBytes { get; init; }

    public double? MemorySwapOutBytes { get; init; }

    /// <summary><c>vcpu.current</c>, <c>vcpu.maximum</c>.</summary>
    public int? VcpusOnline { get; init; }

    public int? VcpusMaximum { get; init; }

    public IReadOnlyList<VcpuCounters> Vcpus { get; init; } = [];

    public IReadOnlyList<DiskCounters> Disks { get; init; } = [];

    public IReadOnlyList<NicCounters> Nics { get; init; } = [];

    /// <summary>The <c>one_vm_id</c> label: the id, or (as upstream) the second <c>-</c> token of a wild name.</summary>
    public string OneVmIdLabel => OneVmId?.ToString(System.Globalization.CultureInfo.InvariantCulture)
        ?? (Domain.Split('-') is { Length: > 1 } parts ? parts[1] : "");
}

/// <summary><c>vcpu.N.*</c>: state (0 offline, 1 running, 2 blocked) and times in seconds.</summary>
public sealed record VcpuCounters(int Index, int? State, double? TimeSeconds, double? WaitSeconds, double? DelaySeconds);

/// <summary><c>block.N.*</c>: target device (<c>vda</c>), request and byte counters, times in seconds, sizes in bytes.</summary>
public sealed record DiskCounters(int Index, string Device)
{
    public double? ReadRequests { get; init; }
    public double? WriteRequests { get; init; }
    public double? ReadBytes { get; init; }
    public double? WriteBytes { get; init; }
    public double? ReadTimeSeconds { get; init; }
    public double? WriteTimeSeconds { get; init; }
    public double? CapacityBytes { get; init; }
    public double? PhysicalBytes { get; init; }
    public double? AllocationBytes { get; init; }
}

/// <summary><c>net.N.*</c>: tap device name (<c>one-42-0</c>) and the eight counters.</summary>
public sealed record NicCounters(int Index, string Device)
{
    public double? RxBytes { get; init; }
    public double? RxPackets { get; init; }
    public double? RxErrors { get; init; }
    public double? RxDrops { get; init; }
    public double? TxBytes { get; init; }
    public double? TxPackets { get; init; }
    public double? TxErrors { get; init; }
    public double? TxDrops { get; init; }
}

/// <summary>All domains of one collection; the sample type a VM source hands the exporter.</summary>
public sealed record VmMetricsSet(IReadOnlyList<VmMetricsSample> Vms);
