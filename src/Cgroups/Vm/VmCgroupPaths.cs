using OneKvm.Cgroups.Layout;

namespace OneKvm.Cgroups.Vm;

/// <summary>Where one VM's cgroups are, per controller; null where libvirt did not place it.</summary>
/// <param name="Relative">The VM directory relative to the hierarchy root as the cpu (else cgroup2) hierarchy names it.</param>
/// <param name="Cpu">VM directory in the hierarchy serving <c>cpu</c> (shares / weight, throttling).</param>
/// <param name="Cpuacct">VM directory in the v1 <c>cpuacct</c> hierarchy, when it exists.</param>
/// <param name="Unified">VM directory in the cgroup2 tree, when it exists (usage, pressure, io).</param>
/// <param name="Memory">VM directory serving memory (v1 <c>memory</c> or cgroup2).</param>
/// <param name="Io">VM directory serving block I/O (v1 <c>blkio</c> or cgroup2 <c>io</c>).</param>
/// <param name="FoundBy">How it was found: <c>pid</c> (from <c>/proc/&lt;pid&gt;/cgroup</c>) or <c>name</c> (machine name).</param>
public sealed record VmCgroupPaths(
    string Relative,
    CgroupDir? Cpu,
    CgroupDir? Cpuacct,
    CgroupDir? Unified,
    CgroupDir? Memory,
    CgroupDir? Io,
    string FoundBy)
{
    /// <summary>The directory holding <c>emulator</c> and <c>vcpuN</c>: <c>libvirt/</c> below the scope since libvirt 7.1.0, else the VM directory.</summary>
    public static CgroupDir ThreadsDir(CgroupDir vmDir) =>
        vmDir.Child("libvirt") is { Exists: true } nested ? nested : vmDir;
}
