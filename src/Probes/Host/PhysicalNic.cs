using System.Text.RegularExpressions;

namespace OneKvm.Probes.Host;

/// <summary>
/// Which <c>/proc/net/dev</c> interfaces count for NETRX / NETTX: physical NICs by their kernel or
/// udev names, each counted once. Upstream's pattern list (<c>linux_usage.rb</c>) is kept, but the
/// whole interface name must match one alternative (<c>^(?:a|b|…)$</c>), whereas upstream anchors only
/// <c>eth…</c> at the line start and nothing at the end. Hence VLAN sub-interfaces (<c>eth0.100</c>,
/// <c>ens3.42</c>) are not counted a second time, and bridges, bonds, taps (<c>one-5-0</c>,
/// <c>vnet0</c>), <c>lo</c>, <c>ifb*</c>, <c>virbr*</c> never count. Traffic of a NIC enslaved to a
/// bridge or bond is counted on the NIC itself.
/// </summary>
public static partial class PhysicalNic
{
    [GeneratedRegex(
        "^(?:eth[0-9]+" +
        "|ib[0-9]+" +
        "|em[0-9]+(?:_[0-9]+)?" +
        "|p[0-9]+p[0-9]+(?:_[0-9]+)?" +
        "|eno[0-9]+(?:n[0-9a-zA-Z]+|d[0-9]+)?" +
        "|ens[0-9]+(?:f[0-9]+)?(?:n[0-9a-zA-Z]+|d[0-9]+)?" +
        "|enx[0-9a-fA-F]{12}" +
        "|en(?:P[0-9]+)?p[0-9]+s[0-9]+(?:f[0-9]+)?(?:n[0-9a-zA-Z]+|d[0-9]+)?" +
        "|ena[0-9a-zA-Z]+i[0-9]+)$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>True when <paramref name="name"/> (an interface name, no colon) is a physical NIC name.</summary>
    public static bool IsPhysical(string name) => Pattern().IsMatch(name);
}
