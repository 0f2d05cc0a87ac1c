using OneKvm.Cgroups;

namespace OneKvm.Probes.Host.Kernel;

/// <summary>
/// <c>uname -n</c> / <c>uname -m</c> as the kernel exposes them under <c>&lt;proc&gt;/sys/kernel</c>:
/// <c>hostname</c> (the UTS namespace of the reader) and <c>arch</c> (Linux 6.1+; null before).
/// </summary>
public sealed record KernelIdentity(string? HostName, string? Machine)
{
    public static KernelIdentity Read(HostPaths paths) => new(
        NullIfEmpty(KernelFile.ReadValueOrNull(paths.ProcPath("sys", "kernel", "hostname"))),
        NullIfEmpty(KernelFile.ReadValueOrNull(paths.ProcPath("sys", "kernel", "arch"))));

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
