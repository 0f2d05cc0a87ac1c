using OneKvm.Cgroups.Layout;
using OneKvm.Cgroups.Shares;

namespace OneKvm.Probes.OpenNebula;

/// <summary>
/// The CPU weight OpenNebula writes to a VM's deployment file (<c>&lt;cputune&gt;&lt;shares&gt;</c>) for
/// its <c>CPU</c> attribute: <c>clamp(ceil(base × CPU), min, max)</c> computed in IEEE single
/// precision, base 1024 for <c>CGROUPS_VERSION</c> 1 and 100 for 2, clamped to the kernel range of
/// that scale (<see cref="CpuShares.Range"/>). libvirt applies the value unchanged to
/// <c>cpu.shares</c> or <c>cpu.weight</c>.
/// </summary>
public static class OneCpuShares
{
    /// <summary>The multiplier of a scale: 1024 (v1) or 100 (v2).</summary>
    public static float Base(CgroupVersion version) => version == CgroupVersion.V2 ? 100f : 1024f;

    /// <summary>The shares promised for <paramref name="cpu"/> on the given scale. CPU ≤ 0 or NaN gives the minimum.</summary>
    public static long For(float cpu, CgroupVersion version)
    {
        if (float.IsNaN(cpu) || cpu <= 0f) return CpuShares.Range(version).Min;
        return CpuShares.Clamp(MathF.Ceiling(Base(version) * cpu), version);
    }

    /// <summary>
    /// The CPU a share value stands for when OpenNebula wrote it on a <paramref name="version"/> host
    /// (shares / base): the documented fallback when a VM's <c>vm.xml</c> is unavailable.
    /// </summary>
    public static float CpuFromShares(long shares, CgroupVersion version) => shares / Base(version);
}
