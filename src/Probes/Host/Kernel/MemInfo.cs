namespace OneKvm.Probes.Host.Kernel;

/// <summary>The <c>/proc/meminfo</c> values the host probes use, in KiB.</summary>
public sealed record MemInfo(ulong MemTotalKib, ulong MemFreeKib, ulong BuffersKib, ulong CachedKib)
{
    /// <summary>
    /// OpenNebula's used memory: <c>MemTotal − MemFree − Buffers − Cached</c> (upstream
    /// <c>linux_usage.rb</c>; SReclaimable and reserved hugepages count as used). Never negative.
    /// </summary>
    public ulong UsedKib => Saturating(MemTotalKib, MemFreeKib + BuffersKib + CachedKib);

    /// <summary>Picks the keys from a parsed meminfo; a missing key is a <see cref="FormatException"/> naming <paramref name="source"/>.</summary>
    public static MemInfo From(IReadOnlyDictionary<string, ulong> values, string source)
    {
        ulong Get(string key) => values.TryGetValue(key, out var v) ? v : throw new FormatException($"{source}: no {key} line");
        return new MemInfo(Get("MemTotal"), Get("MemFree"), Get("Buffers"), Get("Cached"));
    }

    private static ulong Saturating(ulong a, ulong b) => a > b ? a - b : 0;
}
