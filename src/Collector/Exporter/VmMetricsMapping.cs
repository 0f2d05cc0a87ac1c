using OneKvm.Libvirt.Domain;
using OneKvm.Probes.Sampling;

namespace OneKvm.Collector.Exporter;

/// <summary>One domain stats record → the exporter's VM input, in base units (pure).</summary>
public static class VmMetricsMapping
{
    private const double NsPerSecond = 1e9;

    public static VmMetricsSample From(DomainEntry domain, string? oneVmName)
    {
        var s = domain.Stats;
        int? id = OneVmName.TryParseId(domain.Name, out var vmId) ? vmId : null;
        return new VmMetricsSample(domain.Name, id, oneVmName, domain.Uuid, s.State?.State, s.State?.Reason)
        {
            CpuSeconds = Seconds(s.Cpu?.TimeNs),
            CpuUserSeconds = Seconds(s.Cpu?.UserNs),
            CpuSystemSeconds = Seconds(s.Cpu?.SystemNs),
            CpuUsageRatio = domain.CpuPercent / 100,
            MemoryBalloonBytes = Bytes(s.Balloon?.CurrentKiB),
            MemoryMaximumBytes = Bytes(s.Balloon?.MaximumKiB),
            // The QEMU process's /proc status read with the snapshot, as MONITOR_VM's MEMORY (rss + swap); libvirt's balloon.rss without it.
            MemoryRssBytes = domain.Memory is { } m ? m.RssKiB * 1024.0 : Bytes(s.Balloon?.RssKiB),
            MemoryHostSwapBytes = domain.Memory is { } sw ? sw.SwapKiB * 1024.0 : null,
            MemoryAvailableBytes = Bytes(s.Balloon?.AvailableKiB),
            MemoryUnusedBytes = Bytes(s.Balloon?.UnusedKiB),
            MemorySwapInBytes = Bytes(s.Balloon?.SwapInKiB),
            MemorySwapOutBytes = Bytes(s.Balloon?.SwapOutKiB),
            VcpusOnline = (int?)s.Vcpu?.Current,
            VcpusMaximum = (int?)s.Vcpu?.Maximum,
            Vcpus = s.Vcpu?.Vcpus.Select(v => new VcpuCounters(v.Index, v.State, Seconds(v.TimeNs), Seconds(v.WaitNs), Seconds(v.DelayNs))).ToList() ?? [],
            // Without --backing, domstats lists guest disks only (block.N.backingIndex is the top image's own index).
            Disks = s.Blocks?.Select(b => new DiskCounters(b.Index, b.Name ?? $"block{b.Index}")
            {
                ReadRequests = b.ReadRequests,
                WriteRequests = b.WriteRequests,
                ReadBytes = b.ReadBytes,
                WriteBytes = b.WriteBytes,
                ReadTimeSeconds = Seconds(b.ReadTimeNs),
                WriteTimeSeconds = Seconds(b.WriteTimeNs),
                CapacityBytes = b.CapacityBytes,
                PhysicalBytes = b.PhysicalBytes,
                AllocationBytes = b.AllocationBytes,
            }).ToList() ?? [],
            Nics = s.Nets?.Select(n => new NicCounters(n.Index, n.Name ?? $"net{n.Index}")
            {
                RxBytes = n.RxBytes,
                RxPackets = n.RxPackets,
                RxErrors = n.RxErrors,
                RxDrops = n.RxDrops,
                TxBytes = n.TxBytes,
                TxPackets = n.TxPackets,
                TxErrors = n.TxErrors,
                TxDrops = n.TxDrops,
            }).ToList() ?? [],
        };
    }

    private static double? Seconds(ulong? ns) => ns / NsPerSecond;

    private static double? Bytes(ulong? kib) => kib * 1024.0;
}
