namespace OneKvm.Probes.Host.Kernel;

/// <summary>Hugepages of one size on one NUMA node (<c>nodeN/hugepages/hugepages-&lt;size&gt;kB</c>).</summary>
public sealed record HugePagePool(ulong SizeKib, ulong Pages, ulong FreePages);

/// <summary>One physical core: its <c>core_id</c> and the hardware threads that share it.</summary>
public sealed record NumaCore(int CoreId, IReadOnlyList<int> Cpus);

/// <summary>
/// One NUMA node from <c>/sys/devices/system/node/nodeN</c>. Memory in KiB, null when the node has no
/// <c>meminfo</c>. <see cref="Distances"/> is the <c>distance</c> row: node id → distance.
/// </summary>
public sealed record NumaNode(
    int Id,
    ulong? MemTotalKib,
    ulong? MemFreeKib,
    ulong? MemUsedKib,
    IReadOnlyList<HugePagePool> HugePages,
    IReadOnlyList<NumaCore> Cores,
    IReadOnlyList<(int NodeId, int Distance)> Distances)
{
    /// <summary>Node ids from nearest to farthest (ties in id order), as OpenNebula's <c>DISTANCE</c> wants them.</summary>
    public IReadOnlyList<int> NodesByDistance =>
        [.. Distances.OrderBy(d => d.Distance).ThenBy(d => d.NodeId).Select(d => d.NodeId)];
}
