namespace OneKvm.Libvirt.Domain;

/// <summary>
/// The scaled-integer units libvirt accepts on <c>&lt;memory unit=…&gt;</c> and friends
/// (<c>virScaleInteger</c>; schema pattern <c>[bB]([yY][tT][eE][sS]?)?|[kKmMgGtTpPeE]([iI]?[bB])?</c>,
/// case-insensitive): <c>b</c>/<c>byte</c>/<c>bytes</c>; <c>KB</c>, <c>MB</c>, <c>GB</c>, <c>TB</c>, <c>PB</c>,
/// <c>EB</c> are powers of 1000; <c>k</c>/<c>KiB</c>, <c>M</c>/<c>MiB</c>, … <c>E</c>/<c>EiB</c> powers of 1024.
/// No unit means KiB.
/// </summary>
public static class MemoryUnit
{
    /// <summary>Bytes per unit, or null when libvirt would reject the unit.</summary>
    public static ulong? BytesPer(string? unit)
    {
        if (string.IsNullOrEmpty(unit)) return 1024;
        if (unit.Equals("b", StringComparison.OrdinalIgnoreCase) || unit.Equals("byte", StringComparison.OrdinalIgnoreCase)
            || unit.Equals("bytes", StringComparison.OrdinalIgnoreCase))
        {
            return 1;
        }
        ulong step;
        if (unit.Length == 1 || unit.AsSpan(1).Equals("iB", StringComparison.OrdinalIgnoreCase)) step = 1024;
        else if (unit.Length == 2 && char.ToLowerInvariant(unit[1]) == 'b') step = 1000;
        else return null;
        var power = char.ToLowerInvariant(unit[0]) switch
        {
            'k' => 1,
            'm' => 2,
            'g' => 3,
            't' => 4,
            'p' => 5,
            'e' => 6,
            _ => 0,
        };
        if (power == 0) return null;
        var bytes = 1UL;
        for (var i = 0; i < power; i++) bytes *= step;
        return bytes;
    }

    /// <summary>
    /// <paramref name="value"/> <paramref name="unit"/>s in KiB, rounded up as libvirt does
    /// (<c>virDomainParseMemory</c>: <c>VIR_DIV_UP(bytes, 1024)</c>); null when the unit is unknown
    /// or the byte count does not fit in 64 bits (libvirt's limit).
    /// </summary>
    public static ulong? ToKiB(ulong value, string? unit)
    {
        if (BytesPer(unit) is not { } per) return null;
        var bytes = (UInt128)value * per;
        if (bytes > ulong.MaxValue) return null;
        return (ulong)((bytes + 1023) / 1024);
    }
}
