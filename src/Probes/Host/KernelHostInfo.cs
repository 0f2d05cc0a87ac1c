namespace OneKvm.Probes.Host;

/// <summary>The kernel part of SYSTEM_HOST; null where the host does not say.</summary>
/// <param name="Arch"><c>uname -m</c>.</param>
/// <param name="ModelName">CPU model name from <c>/proc/cpuinfo</c>.</param>
/// <param name="HostName"><c>uname -n</c>.</param>
/// <param name="CpuSpeedMhz">Rounded MHz: <c>cpu MHz</c> of <c>/proc/cpuinfo</c>, else the highest <c>cpuinfo_max_freq</c>.</param>
/// <param name="OnlineCpus">Online hardware threads.</param>
/// <param name="TotalMemoryKib"><c>MemTotal</c>.</param>
/// <param name="CgroupsVersion">1 when any cgroup v1 hierarchy is mounted, else 2 when cgroup2 is, else null.</param>
/// <param name="OpenNebulaVersion">Last line of the remotes' <c>VERSION</c> file.</param>
public sealed record KernelHostInfo(
    string? Arch,
    string? ModelName,
    string? HostName,
    long? CpuSpeedMhz,
    int OnlineCpus,
    ulong TotalMemoryKib,
    int? CgroupsVersion,
    string? OpenNebulaVersion)
{
    /// <summary>OpenNebula CPU units: 100 per online hardware thread.</summary>
    public int TotalCpu => OnlineCpus * 100;
}
