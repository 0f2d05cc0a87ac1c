using OneKvm.Cgroups.Layout;

namespace OneKvm.Cgroups.Shares;

/// <summary>
/// The kernel's CPU weight scales: v1 <c>cpu.shares</c> in [2, 262144], default 1024; v2
/// <c>cpu.weight</c> in [1, 10000], default 100. libvirt writes a domain's <c>&lt;shares&gt;</c>
/// unchanged to whichever file the cpu controller has, so a value read back is compared on the
/// scale of that file and never converted.
/// </summary>
public static class CpuShares
{
    public const long V1Min = 2;
    public const long V1Max = 262144;
    public const long V1Default = 1024;
    public const long V2Min = 1;
    public const long V2Max = 10000;
    public const long V2Default = 100;

    /// <summary>(min, max) the kernel accepts on a scale.</summary>
    public static (long Min, long Max) Range(CgroupVersion version) => version == CgroupVersion.V2
        ? (V2Min, V2Max)
        : (V1Min, V1Max);

    /// <summary>The kernel default weight of a scale (1024 / 100).</summary>
    public static long Default(CgroupVersion version) => version == CgroupVersion.V2 ? V2Default : V1Default;

    /// <summary>The file a VM directory holds its weight in: <c>cpu.shares</c> (v1) or <c>cpu.weight</c> (v2).</summary>
    public static string FileName(CgroupVersion version) => version == CgroupVersion.V2 ? "cpu.weight" : "cpu.shares";

    /// <summary>Clamps a weight into the kernel's range of the scale.</summary>
    public static long Clamp(double value, CgroupVersion version)
    {
        var (min, max) = Range(version);
        if (double.IsNaN(value) || value <= min) return min;
        return value >= max ? max : (long)value;
    }
}
