using System.Globalization;

using OneKvm.Cgroups;

namespace OneKvm.Probes.Host.Kernel;

/// <summary>What the host probes use of <c>/proc/cpuinfo</c>; null when the kernel does not print it.</summary>
/// <param name="ModelName">First <c>model name</c> (x86, arm64 with some kernels), else first <c>cpu</c> (POWER).</param>
/// <param name="FirstCpuMhz">First <c>cpu MHz</c> value, the frequency the kernel last saw on that CPU.</param>
public sealed record CpuInfo(string? ModelName, double? FirstCpuMhz);

/// <summary>
/// Parses <c>/proc/cpuinfo</c>: blocks of <c>key&lt;TAB&gt;: value</c> lines, one per logical CPU:
/// <code>
/// processor	: 0
/// model name	: AMD EPYC
/// cpu MHz		: 2596.124
/// </code>
/// </summary>
public static class CpuInfoParser
{
    public static CpuInfo Parse(string text, string source = "cpuinfo")
    {
        string? modelName = null, powerCpu = null;
        double? mhz = null;
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0) continue;
            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "model name" when modelName is null:
                    modelName = value;
                    break;
                case "cpu" when powerCpu is null:
                    powerCpu = value;
                    break;
                case "cpu MHz" when mhz is null:
                    mhz = double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var m)
                        ? m
                        : throw new FormatException($"{source}:{lineNumber}: 'cpu MHz' value '{value}' is not a number");
                    break;
            }
        }
        return new CpuInfo(NullIfEmpty(modelName) ?? NullIfEmpty(powerCpu), mhz);
    }

    /// <summary>Reads <c>&lt;proc&gt;/cpuinfo</c>.</summary>
    public static CpuInfo Read(HostPaths paths)
    {
        var path = paths.ProcPath("cpuinfo");
        return Parse(KernelFile.Read(path), path);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
