using System.Globalization;

namespace OneKvm.Probes.OpenNebula;

/// <summary>The result of applying a reservation: the maximum and, when the value could not be parsed, why.</summary>
public sealed record ReservationResult(long Max, long? ReservedAmount, string? Warning);

/// <summary>
/// oned's <c>RESERVED_CPU</c> / <c>RESERVED_MEM</c> rule (<c>HostShare.cc</c> <c>set_reserved_metric</c>):
/// empty → MAX = TOTAL; trailing blanks trimmed; trailing <c>%</c> →
/// <c>trunc(TOTAL × (1 − v/100))</c>; otherwise <c>TOTAL − v</c>; <c>v</c> must parse completely as a
/// 64-bit integer with optional sign, and a negative value overcommits. A value that does not parse
/// gives MAX = TOTAL, as in oned, plus a warning (oned is silent).
/// </summary>
public static class Reservation
{
    public static ReservationResult Apply(long total, string? reserved, string attribute = "RESERVED")
    {
        if (string.IsNullOrEmpty(reserved)) return new ReservationResult(total, null, null);
        var value = reserved.TrimEnd(' ', '\t', '\n', '\r', '\v', '\f');
        var percent = value.EndsWith('%');
        var number = percent ? value[..^1] : value;
        if (!long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
        {
            return new ReservationResult(total, null,
                $"{attribute}='{reserved}' is not an integer or an integer followed by '%': oned ignores it, so MAX = TOTAL");
        }
        if (!percent) return new ReservationResult(total - v, v, null);
        // oned: (long long) (total * (1 - value / 100.0)), computed in double and truncated.
        var max = (long)(total * (1 - (v / 100.0)));
        return new ReservationResult(max, total - max, null);
    }
}
