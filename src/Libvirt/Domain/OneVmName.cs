using System.Globalization;

namespace OneKvm.Libvirt.Domain;

/// <summary>
/// OpenNebula names its domains <c>one-&lt;VM ID&gt;</c>. Only <c>one-</c> followed by the VM id
/// written canonically (ASCII digits, no sign, no leading zero, no blank, fitting an int) is an
/// OpenNebula VM: <c>one-09390</c>, <c>one-+5</c>, <c>one-5 </c>, <c>one-5-test</c>, <c>one-</c>,
/// <c>one-٣</c> are wild VMs and never impersonate VM 9390 or 5 (upstream's two different
/// patterns hid such domains). The one rule for the probes, the audit and the exporter.
/// </summary>
public static class OneVmName
{
    public const string Prefix = "one-";

    public static bool TryParseId(string name, out int id)
    {
        id = -1;
        if (!name.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var digits = name.AsSpan(Prefix.Length);
        if (digits.IsEmpty || (digits[0] == '0' && digits.Length > 1)) return false;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c)) return false;
        }
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out id);
    }

    /// <summary>The domain name of VM <paramref name="id"/>: <c>one-42</c>.</summary>
    public static string Format(int id) => Prefix + id.ToString(CultureInfo.InvariantCulture);
}
