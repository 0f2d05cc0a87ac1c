using OneKvm.Probes.Host.Kernel;

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
        kernel.Require(kernel.OnlineCpus, Sampling.KernelSnapshot.OnlineCpusPart) * 100L,
        (long)kernel.Require(kernel.MemTotalKib, Sampling.KernelSnapshot.MemTotalPart));

    /// <summary>Counts a kernel CPU list: <c>0-3,8,10-11</c> → 7 (parsed by <see cref="CpuListParser"/>).</summary>
    public static int CountCpuList(string text, string source)
    {
        var count = CpuListParser.Parse(text, source).Count;
        return count > 0 ? count : throw new FormatException($"{source}: empty CPU list");
    }

    /// <summary>The <c>MemTotal:       16318768 kB</c> line of <c>/proc/meminfo</c>, in KiB (parsed by <see cref="MemInfoParser"/>).</summary>
    public static long MemTotalKiB(string meminfo, string source) =>
        MemInfoParser.Parse(meminfo, source).TryGetValue("MemTotal", out var kib)
            ? (long)kib
            : throw new FormatException($"{source}: no MemTotal line");
}
