namespace OneKvm.Probes.OpenNebula;

/// <summary>
/// The two host totals oned's reservations apply to: <c>TOTALCPU</c> (100 × online CPUs) and
/// <c>TOTALMEMORY</c> (<c>MemTotal</c> KiB). Taken from the host's kernel snapshot, as the host probes take them.
/// </summary>
public sealed record HostTotals(long TotalCpu, long TotalMemoryKiB)
{
    /// <summary>TOTALCPU and TOTALMEMORY of one kernel snapshot (the same figures MONITOR_HOST and SYSTEM_HOST report).</summary>
    /// <exception cref="ProbeException">the online CPUs or <c>/proc/meminfo</c> could not be read (names the file).</exception>
    public static HostTotals From(Sampling.KernelSnapshot kernel) => new(
        kernel.Require(kernel.TotalCpu, Sampling.KernelSnapshot.OnlineCpusPart),
        (long)kernel.Require(kernel.MemTotalKib, Sampling.KernelSnapshot.MemTotalPart));
}
