using System.Globalization;

namespace OneKvm.Probes.Vm;

/// <summary>
/// OpenNebula names its domains <c>one-&lt;VM ID&gt;</c>. Only a full match of <c>^one-(\d+)$</c>
/// (ASCII digits, fitting an int) is an OpenNebula VM; every other name — <c>one-5-test</c>,
/// <c>one-</c>, <c>one-٣</c> — is a wild VM (upstream's two different patterns hid such domains).
/// </summary>
public static class OneVmName
{
    public static bool TryParseId(string name, out int id)
    {
        id = -1;
        if (name.Length < 5 || !name.StartsWith("one-", StringComparison.Ordinal)) return false;
        var digits = name.AsSpan(4);
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c)) return false;
        }
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out id);
    }
}
