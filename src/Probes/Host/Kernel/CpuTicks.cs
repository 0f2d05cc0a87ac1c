namespace OneKvm.Probes.Host.Kernel;

/// <summary>
/// The CPU time fields of a <c>/proc/stat</c> <c>cpu</c> line, in USER_HZ ticks (100 per second).
/// <c>guest</c> and <c>guest_nice</c> are already part of <see cref="User"/> and <see cref="Nice"/>
/// and are therefore not summed again in <see cref="Total"/>.
/// </summary>
public sealed record CpuTicks(
    ulong User,
    ulong Nice,
    ulong System,
    ulong Idle,
    ulong IoWait,
    ulong Irq,
    ulong SoftIrq,
    ulong Steal)
{
    /// <summary>All ticks: user + nice + system + idle + iowait + irq + softirq + steal.</summary>
    public ulong Total => User + Nice + System + Idle + IoWait + Irq + SoftIrq + Steal;
}

/// <summary>What the probes use of <c>/proc/stat</c>.</summary>
/// <param name="Aggregate">The <c>cpu</c> line (all online CPUs).</param>
/// <param name="OnlineCpus">Number of <c>cpuN</c> lines (online CPUs).</param>
/// <param name="BootTimeSeconds"><c>btime</c>, the boot time in seconds since the epoch, or null when absent.</param>
public sealed record ProcStat(CpuTicks Aggregate, int OnlineCpus, long? BootTimeSeconds);
