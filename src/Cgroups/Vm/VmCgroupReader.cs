using System.Globalization;
using System.Text.RegularExpressions;
using OneKvm.Cgroups.Files;
using OneKvm.Cgroups.Layout;

namespace OneKvm.Cgroups.Vm;

/// <summary>
/// Reads a <see cref="VmCgroupSample"/> from located VM directories. Missing files give nulls;
/// malformed ones throw <see cref="FormatException"/> naming the file.
/// Usage: cgroup2 <c>cpu.stat</c> of the VM when it exists (what libvirt reads on hybrid hosts), else
/// v1 <c>cpuacct.usage</c>; a hybrid host with neither (cpuacct has no VM directory, no cgroup2
/// VM directory) reports no usage rather than a wrong one.
/// </summary>
public static partial class VmCgroupReader
{
    public static VmCgroupSample Read(VmCgroupPaths paths, TimeProvider time)
    {
        var sample = new VmCgroupSample { Paths = paths, Timestamp = time.GetUtcNow() };
        if (paths.Cpu is { } cpu)
        {
            var shares = Integer(cpu, cpu.Version == CgroupVersion.V1 ? "cpu.shares" : "cpu.weight");
            sample = sample with { AppliedShares = shares, SharesVersion = shares is null ? null : cpu.Version };
            if (Flat(cpu, "cpu.stat") is { } stat)
            {
                sample = sample with
                {
                    CpuPeriods = Get(stat, "nr_periods"),
                    CpuThrottledPeriods = Get(stat, "nr_throttled"),
                    CpuThrottledNanoseconds = Get(stat, "throttled_time") ?? Get(stat, "throttled_usec") * 1000,
                };
            }
        }

        if (paths.Unified is { } unified && Flat(unified, "cpu.stat") is { } v2Stat && Get(v2Stat, "usage_usec") is { } usec)
            sample = sample with { CpuUsageNanoseconds = usec * 1000, CpuUsageSource = "cpu.stat" };
        else if (paths.Cpuacct is { } acct && Integer(acct, "cpuacct.usage") is { } ns)
            sample = sample with { CpuUsageNanoseconds = ns, CpuUsageSource = "cpuacct.usage" };

        if (paths.Unified is { } u && KernelFile.TryRead(u.File("cpu.pressure"), out var psi) && psi.Trim().Length > 0)
            sample = sample with { CpuPressure = CgroupFileParsers.ParsePressure(psi, u.File("cpu.pressure")) };

        return ReadIo(ReadMemory(sample, paths.Memory), paths.Io) with { Vcpus = ReadVcpus(paths) };
    }

    private static VmCgroupSample ReadMemory(VmCgroupSample sample, CgroupDir? memory)
    {
        if (memory is null) return sample;
        var stat = Flat(memory, "memory.stat");
        if (memory.Version == CgroupVersion.V2)
        {
            return sample with
            {
                MemoryUsageBytes = Integer(memory, "memory.current"),
                MemoryAnonBytes = stat is null ? null : Get(stat, "anon"),
                MemorySwapBytes = Integer(memory, "memory.swap.current"),
                MemoryLimitBytes = KernelFile.TryRead(memory.File("memory.max"), out var max)
                    ? CgroupFileParsers.ParseMaxOrInteger(max, memory.File("memory.max")) : null,
            };
        }
        return sample with
        {
            MemoryUsageBytes = Integer(memory, "memory.usage_in_bytes"),
            MemoryAnonBytes = stat is null ? null : Get(stat, "total_rss") ?? Get(stat, "rss"),
            MemorySwapBytes = stat is null ? null : Get(stat, "total_swap") ?? Get(stat, "swap"),
            MemoryLimitBytes = KernelFile.TryRead(memory.File("memory.limit_in_bytes"), out var limit)
                ? CgroupFileParsers.ParseV1MemoryLimit(limit, memory.File("memory.limit_in_bytes")) : null,
        };
    }

    private static VmCgroupSample ReadIo(VmCgroupSample sample, CgroupDir? io)
    {
        if (io is null) return sample;
        var file = io.Version == CgroupVersion.V2 ? io.File("io.stat") : io.File("blkio.throttle.io_service_bytes");
        if (!KernelFile.TryRead(file, out var text)) return sample;
        var (read, write) = io.Version == CgroupVersion.V2
            ? CgroupFileParsers.ParseIoStat(text, file)
            : CgroupFileParsers.ParseBlkioServiceBytes(text, file);
        return sample with { IoReadBytes = read, IoWriteBytes = write };
    }

    /// <summary>vCPU groups are listed in the cpu (else cgroup2) tree; usage from cgroup2 <c>cpu.stat</c> else v1 <c>cpuacct.usage</c>.</summary>
    private static List<VcpuCgroupSample> ReadVcpus(VmCgroupPaths paths)
    {
        var listing = paths.Cpu ?? paths.Unified;
        if (listing is null || !listing.Exists) return [];
        var threads = VmCgroupPaths.ThreadsDir(listing);
        var vcpus = new List<VcpuCgroupSample>();
        foreach (var dir in Directory.EnumerateDirectories(threads.Path))
        {
            var match = VcpuName().Match(Path.GetFileName(dir));
            if (!match.Success) continue;
            var name = match.Value;
            var index = int.Parse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            long? usage = null;
            if (paths.Unified is { } u && Flat(VmCgroupPaths.ThreadsDir(u).Child(name), "cpu.stat") is { } stat)
                usage = Get(stat, "usage_usec") * 1000;
            else if (paths.Cpuacct is { } acct)
                usage = Integer(VmCgroupPaths.ThreadsDir(acct).Child(name), "cpuacct.usage");
            vcpus.Add(new VcpuCgroupSample(index, usage));
        }
        return vcpus.OrderBy(v => v.Index).ToList();
    }

    private static long? Get(IReadOnlyDictionary<string, long> values, string key) =>
        values.TryGetValue(key, out var value) ? value : null;

    private static long? Integer(CgroupDir dir, string file) =>
        KernelFile.TryRead(dir.File(file), out var text) ? CgroupFileParsers.ParseInteger(text, dir.File(file)) : null;

    private static IReadOnlyDictionary<string, long>? Flat(CgroupDir dir, string file) =>
        KernelFile.TryRead(dir.File(file), out var text) ? CgroupFileParsers.ParseFlatKeyed(text, dir.File(file)) : null;

    [GeneratedRegex("^vcpu([0-9]+)$")]
    private static partial Regex VcpuName();
}
