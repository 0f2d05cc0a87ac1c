using System.Globalization;

namespace OneKvm.Probes.Forecast;

/// <summary>
/// Numbers as upstream's Python probe prints them: <c>round(x, 2)</c>, then Python's <c>repr</c> of
/// a float: the shortest digits that read back to the same double, always with a fractional part
/// (<c>12.0</c>), in exponent form (<c>1e+16</c>, <c>1.5e-05</c>) below 1e-4 and from 1e16 on.
/// </summary>
public static class PythonFloat
{
    public static string FormatRounded(double value) => Format(Round2(value));

    /// <summary>
    /// Python's <c>round(x, 2)</c>: rounds the double's exact binary value (2.675 is stored as
    /// 2.67499999… and gives 2.67), ties to even. 17 significant digits keep the side of a tie.
    /// </summary>
    public static double Round2(double value)
    {
        if (!double.IsFinite(value) || Math.Abs(value) >= 1e15) return value;
        var exact = decimal.Parse(value.ToString("G17", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
        return (double)Math.Round(exact, 2, MidpointRounding.ToEven);
    }

    public static string Format(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        if (value == 0) return double.IsNegative(value) ? "-0.0" : "0.0";
        // "R" gives the shortest round-trip digits but switches to exponent form at its own thresholds: take its digits only.
        var (negative, digits, exponent) = Decompose(value.ToString("R", CultureInfo.InvariantCulture));
        var sign = negative ? "-" : "";
        if (exponent is >= -4 and < 16)
        {
            string text;
            if (exponent >= digits.Length - 1) text = digits + new string('0', exponent - digits.Length + 1) + ".0";
            else if (exponent >= 0) text = digits[..(exponent + 1)] + "." + digits[(exponent + 1)..];
            else text = "0." + new string('0', -exponent - 1) + digits;
            return sign + text;
        }
        var mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
    }

    /// <summary>Significant digits (no leading/trailing zeros) and decimal exponent of the shortest form.</summary>
    private static (bool Negative, string Digits, int Exponent) Decompose(string shortest)
    {
        var negative = shortest.StartsWith('-');
        var body = negative ? shortest[1..] : shortest;
        int exponent;
        string mantissa;
        var e = body.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            mantissa = body[..e];
            exponent = int.Parse(body[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }
        else
        {
            mantissa = body;
            exponent = 0;
        }
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integer = dot < 0 ? mantissa : mantissa[..dot];
        var fraction = dot < 0 ? "" : mantissa[(dot + 1)..];
        var all = integer + fraction;
        var leading = all.Length - all.TrimStart('0').Length;
        exponent += integer.Length - 1 - leading;
        var digits = all.Trim('0');
        return (negative, digits.Length == 0 ? "0" : digits, exponent);
    }
}
