using System.Runtime.InteropServices;
using OneKvm.Cgroups;
using OneKvm.Cgroups.Proc;
using OneKvm.Probes.Host.Kernel;

namespace OneKvm.Probes.Host;

/// <summary>Reads the kernel part of SYSTEM_HOST through <see cref="HostPaths"/>.</summary>
public static class KernelHostReader
{
    /// <param name="paths">Where the host's files are.</param>
    /// <param name="mounts">The host's mounts (<see cref="MountInfoParser.Read"/>).</param>
    /// <param name="libvirtArch">The host arch libvirt reported, used when the kernel has no <c>kernel/arch</c> (before Linux 6.1).</param>
    public static KernelHostInfo Read(HostPaths paths, IReadOnlyList<MountInfo> mounts, string? libvirtArch)
    {
        var identity = KernelIdentity.Read(paths);
        var cpuInfo = CpuInfoParser.Read(paths);
        var speed = cpuInfo.FirstCpuMhz is > 0 ? cpuInfo.FirstCpuMhz : CpuTopology.ReadMaxFrequencyMhz(paths);
        return new KernelHostInfo(
            identity.Machine ?? libvirtArch ?? ProcessArch(),
            cpuInfo.ModelName,
            identity.HostName,
            speed is { } mhz ? (long)Math.Round(mhz, MidpointRounding.AwayFromZero) : null,
            OnlineCpus(paths, ProcStatParser.Read(paths)),
            MemInfoParser.Read(paths).MemTotalKib,
            CgroupsVersion(mounts),
            ReadVersion(paths));
    }

    /// <summary>Online CPUs from <c>devices/system/cpu/online</c>, else the <c>cpuN</c> lines of <c>/proc/stat</c>.</summary>
    public static int OnlineCpus(HostPaths paths, ProcStat stat) => CpuTopology.ReadOnline(paths)?.Count ?? stat.OnlineCpus;

    /// <summary>
    /// OpenNebula's rule (<c>linux_host.rb</c>, 6.4+): any cgroup v1 mount → 1 (a hybrid host reports 1);
    /// else any cgroup2 mount → 2; else none.
    /// </summary>
    public static int? CgroupsVersion(IEnumerable<MountInfo> mounts)
    {
        var list = mounts as IReadOnlyCollection<MountInfo> ?? [.. mounts];
        if (list.Any(m => m.IsCgroupV1)) return 1;
        return list.Any(m => m.IsCgroupV2) ? 2 : null;
    }

    /// <summary>The last non-blank line of <c>&lt;remotes&gt;/VERSION</c>, or null when there is none.</summary>
    public static string? ReadVersion(HostPaths paths)
    {
        var path = Path.Join(paths.Remotes, "VERSION");
        if (!File.Exists(path)) return null;
        return File.ReadAllLines(path).Select(l => l.Trim()).LastOrDefault(l => l.Length > 0);
    }

    private static string? ProcessArch() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "x86_64",
        Architecture.Arm64 => "aarch64",
        Architecture.Ppc64le => "ppc64le",
        Architecture.S390x => "s390x",
        Architecture.RiscV64 => "riscv64",
        _ => null,
    };
}
