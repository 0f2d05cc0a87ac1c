using OneKvm.Probes.Host.Kernel;

using OneKvm.Cgroups;

namespace OneKvm.Probes.OpenNebula;

/// <summary>
/// The two host totals oned's reservations apply to: <c>TOTALCPU</c> (100 × online CPUs) and
/// <c>TOTALMEMORY</c> (<c>MemTotal</c> KiB). Read with the same parsers the host probes use.
/// </summary>
public sealed record HostTotals(long TotalCpu, long TotalMemoryKiB)
{
    public static HostTotals Read(HostPaths paths)
    {
        var onlinePath = paths.SysPath("devices", "system", "cpu", "online");
        var online = CountCpuList(KernelFile.Read(onlinePath), onlinePath);
        var meminfoPath = paths.ProcPath("meminfo");
        return new HostTotals(online * 100L, MemTotalKiB(KernelFile.Read(meminfoPath), meminfoPath));
    }

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
