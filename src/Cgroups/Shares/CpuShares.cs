using OneKvm.Cgroups.Layout;

namespace OneKvm.Cgroups.Shares;

/// <summary>
/// The CPU weight OpenNebula writes for a VM's <c>CPU</c> attribute (libvirt-and-cgroups.md §7.1,
/// <c>LibVirtDriverKVM.cc</c>): <c>clamp(ceil(base × CPU), min, max)</c> computed in IEEE single
/// precision, with v1 base 1024 in [2, 262144] and v2 base 100 in [1, 10000].
/// </summary>
public static class CpuShares
{
    public const long V1Min = 2;
    public const long V1Max = 262144;
    public const long V1Default = 1024;
    public const long V2Min = 1;
    public const long V2Max = 10000;
    public const long V2Default = 100;

    /// <summary>Expected shares for <paramref name="cpu"/> on the given scale. CPU ≤ 0 or NaN gives the minimum.</summary>
    public static long Expected(float cpu, CgroupVersion version)
    {
        var (baseValue, min, max) = Range(version);
        if (float.IsNaN(cpu) || cpu <= 0f) return min;
        var product = MathF.Ceiling(baseValue * cpu);
        if (product >= max) return max;
        return Math.Max(min, (long)product);
    }

    /// <summary>(base, min, max) of a scale.</summary>
    public static (float Base, long Min, long Max) Range(CgroupVersion version) => version == CgroupVersion.V2
        ? (100f, V2Min, V2Max)
        : (1024f, V1Min, V1Max);

    /// <summary>The kernel default weight of a scale (1024 / 100).</summary>
    public static long Default(CgroupVersion version) => version == CgroupVersion.V2 ? V2Default : V1Default;

    /// <summary>
    /// The CPU a share value stands for when OpenNebula wrote it on a <paramref name="version"/> host
    /// (shares / base). Used only as the documented fallback when a VM's <c>vm.xml</c> is unavailable.
    /// </summary>
    public static float CpuFromShares(long shares, CgroupVersion version) => shares / Range(version).Base;
}
