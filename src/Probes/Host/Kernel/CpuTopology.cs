using System.Globalization;

using OneKvm.Cgroups;

namespace OneKvm.Probes.Host.Kernel;

/// <summary>CPU facts from <c>/sys/devices/system/cpu</c>.</summary>
public static class CpuTopology
{
    /// <summary>Online CPU ids from <c>&lt;sys&gt;/devices/system/cpu/online</c>, or null when the file is absent.</summary>
    /// <exception cref="FormatException">the file is empty or malformed (a running host has at least one CPU online).</exception>
    public static IReadOnlyList<int>? ReadOnline(HostPaths paths)
    {
        var path = paths.SysPath("devices", "system", "cpu", "online");
        if (KernelFile.ReadValueOrNull(path) is not { } text) return null;
        var online = CpuListParser.Parse(text, path);
        return online.Count > 0 ? online : throw new FormatException($"{path}: empty: no CPU listed as online (expected a CPU list such as 0-3)");
    }

    /// <summary>
    /// The highest <c>cpufreq/cpuinfo_max_freq</c> of the CPUs, in MHz (the file holds kHz), or null
    /// when no CPU has cpufreq (virtual machines, some arm boards).
    /// </summary>
    public static double? ReadMaxFrequencyMhz(HostPaths paths)
    {
        var cpuDir = paths.SysPath("devices", "system", "cpu");
        if (!Directory.Exists(cpuDir)) return null;
        ulong? maxKhz = null;
        foreach (var dir in Directory.EnumerateDirectories(cpuDir, "cpu*"))
        {
            var path = Path.Join(dir, "cpufreq", "cpuinfo_max_freq");
            if (KernelFile.ReadValueOrNull(path) is not { } text) continue;
            if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var khz))
                throw new FormatException($"{path}: '{text}' is not a frequency in kHz");
            if (khz > (maxKhz ?? 0)) maxKhz = khz;
        }
        return maxKhz is { } k and > 0 ? k / 1000.0 : null;
    }
}
