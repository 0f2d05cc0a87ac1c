using System.Globalization;
using OneKvm.Libvirt.Native;

namespace OneKvm.Libvirt.Stats;

/// <summary>
/// Reads one <c>virTypedParameter</c> as the type its field needs. A value that does not fit
/// (negative where unsigned is wanted, beyond the field's range, a string or double where an
/// integer is wanted) is refused with a reason, never truncated.
/// </summary>
internal static unsafe class TypedParameterValue
{
    public static bool TryUInt64(in VirTypedParameter p, out ulong value, out string? why)
    {
        why = null;
        switch (p.Type)
        {
            case VirTypedParameterType.UInt: value = p.UI; return true;
            case VirTypedParameterType.ULLong: value = p.UL; return true;
            case VirTypedParameterType.Int when p.I >= 0: value = (ulong)p.I; return true;
            case VirTypedParameterType.LLong when p.L >= 0: value = (ulong)p.L; return true;
            case VirTypedParameterType.Int or VirTypedParameterType.LLong:
                value = 0;
                why = "is negative where an unsigned number is expected";
                return false;
            default:
                value = 0;
                why = "is not an integer";
                return false;
        }
    }

    public static bool TryUInt32(in VirTypedParameter p, out uint value, out string? why)
    {
        value = 0;
        if (!TryUInt64(p, out var wide, out why)) return false;
        if (wide > uint.MaxValue)
        {
            why = "does not fit a 32-bit unsigned number";
            return false;
        }
        value = (uint)wide;
        return true;
    }

    public static bool TryInt64(in VirTypedParameter p, out long value, out string? why)
    {
        why = null;
        switch (p.Type)
        {
            case VirTypedParameterType.Int: value = p.I; return true;
            case VirTypedParameterType.UInt: value = p.UI; return true;
            case VirTypedParameterType.LLong: value = p.L; return true;
            case VirTypedParameterType.ULLong when p.UL <= long.MaxValue: value = (long)p.UL; return true;
            case VirTypedParameterType.ULLong:
                value = 0;
                why = "does not fit a 64-bit signed number";
                return false;
            default:
                value = 0;
                why = "is not an integer";
                return false;
        }
    }

    public static bool TryInt32(in VirTypedParameter p, out int value, out string? why)
    {
        value = 0;
        if (!TryInt64(p, out var wide, out why)) return false;
        if (wide is < int.MinValue or > int.MaxValue)
        {
            why = "does not fit a 32-bit signed number";
            return false;
        }
        value = (int)wide;
        return true;
    }

    /// <summary>A non-negative 32-bit number (indexes, enum values that libvirt declares unsigned).</summary>
    public static bool TryNonNegativeInt32(in VirTypedParameter p, out int value, out string? why)
    {
        if (!TryInt32(p, out value, out why)) return false;
        if (value >= 0) return true;
        why = "is negative where an unsigned number is expected";
        return false;
    }

    public static bool TryString(in VirTypedParameter p, out string? value, out string? why)
    {
        value = null;
        why = null;
        if (p.Type != VirTypedParameterType.String)
        {
            why = "is not a string";
            return false;
        }
        if (p.S is null)
        {
            why = "is a null string";
            return false;
        }
        value = NativeText.Borrowed(p.S);
        return true;
    }

    /// <summary>The value as text for a warning: <c>4294967296 (ullong)</c>.</summary>
    public static string Describe(in VirTypedParameter p) => p.Type switch
    {
        VirTypedParameterType.String => p.S is null ? "null (string)" : $"'{Truncate(NativeText.Borrowed(p.S) ?? "")}' (string)",
        >= VirTypedParameterType.Int and <= VirTypedParameterType.Boolean => $"{Text(in p)} ({p.Type.ToString().ToLowerInvariant()})",
        _ => $"of unknown type {((int)p.Type).ToString(CultureInfo.InvariantCulture)}",
    };

    /// <summary>The value as culture-invariant text (decimal, <c>R</c> doubles, <c>true</c>/<c>false</c>, the string itself); null for a null string or an unknown type.</summary>
    public static string? Text(in VirTypedParameter p)
    {
        var c = CultureInfo.InvariantCulture;
        return p.Type switch
        {
            VirTypedParameterType.Int => p.I.ToString(c),
            VirTypedParameterType.UInt => p.UI.ToString(c),
            VirTypedParameterType.LLong => p.L.ToString(c),
            VirTypedParameterType.ULLong => p.UL.ToString(c),
            VirTypedParameterType.Double => p.D.ToString("R", c),
            VirTypedParameterType.Boolean => p.B != 0 ? "true" : "false",
            VirTypedParameterType.String => p.S is null ? null : NativeText.Borrowed(p.S),
            _ => null,
        };
    }

    private static string Truncate(string s) => s.Length <= 64 ? s : string.Concat(s.AsSpan(0, 64), "...");

    public static string Key(in VirTypedParameter p) => VirTypedParameter.NameString(in p);
}
