using System.Runtime.InteropServices;
using OneKvm.Cgroups;
using OneKvm.Cgroups.Proc;
using OneKvm.Probes.Host.Kernel;
using OneKvm.Probes.Sampling;

namespace OneKvm.Probes.Host;

/// <summary>
/// The kernel part of SYSTEM_HOST. The facts that change or that other consumers share (online
/// CPUs, <c>MemTotal</c>, the mounts of <c>CGROUPS_VERSION</c>) come from the tick's
/// <see cref="KernelSnapshot"/>; what only SYSTEM_HOST needs and does not change while the host runs
/// (the <c>uname</c> identity, the <c>/proc/cpuinfo</c> model and MHz, <c>cpuinfo_max_freq</c>, the
/// remotes' <c>VERSION</c>) is read here through <see cref="HostPaths"/>.
/// </summary>
public static class KernelHostReader
{
    /// <param name="paths">Where the host's files are.</param>
    /// <param name="kernel">The tick's kernel snapshot.</param>
    /// <param name="libvirtArch">The host arch libvirt reported, used when the kernel has no <c>kernel/arch</c> (before Linux 6.1).</param>
    /// <exception cref="ProbeException">the snapshot lacks the online CPUs, <c>MemTotal</c> or the mounts (names the file).</exception>
    public static KernelHostInfo Read(HostPaths paths, KernelSnapshot kernel, string? libvirtArch)
    {
        var onlineCpus = kernel.Require(kernel.OnlineCpus, KernelSnapshot.OnlineCpusPart);
        var memTotal = kernel.Require(kernel.MemTotalKib, KernelSnapshot.MemTotalPart);
        var mounts = kernel.Require(kernel.Mounts, KernelSnapshot.MountsPart);
        var identity = KernelIdentity.Read(paths);
        var cpuInfo = CpuInfoParser.Read(paths);
        var speed = cpuInfo.FirstCpuMhz is > 0 ? cpuInfo.FirstCpuMhz : CpuTopology.ReadMaxFrequencyMhz(paths);
        return new KernelHostInfo(
            identity.Machine ?? libvirtArch ?? ProcessArch(),
            cpuInfo.ModelName,
            identity.HostName,
            speed is { } mhz ? (long)Math.Round(mhz, MidpointRounding.AwayFromZero) : null,
            onlineCpus,
            memTotal,
            CgroupsVersion(mounts),
            ReadVersion(paths));
    }

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
