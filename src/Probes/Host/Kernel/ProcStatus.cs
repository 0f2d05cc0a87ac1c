namespace OneKvm.Probes.Host.Kernel;

/// <summary>The memory lines of <c>/proc/&lt;pid&gt;/status</c> OneKvm uses, in KiB; null when absent (kernel threads).</summary>
public sealed record ProcStatus(long? VmRssKiB, long? VmSwapKiB);
