using System.Net;
using System.Text.RegularExpressions;

namespace OneKvm.Driver.Actions;

/// <summary>Checks of the names an action passes on to virsh, the file system or a libvirt URI.</summary>
internal static partial class Names
{
    /// <summary>
    /// A domain name or UUID as oned sends it: not empty, no leading <c>-</c> (virsh would read an
    /// option), no <c>/</c> (it ends up in file names), no control characters or blanks.
    /// </summary>
    public static string Domain(string name) =>
        DomainRegex().IsMatch(name) ? name : throw new ActionFailedException($"invalid domain name '{Printable(name)}'");

    /// <summary>A disk target such as <c>vda</c>, <c>sdb</c>, <c>hdc</c>.</summary>
    public static string Target(string target) =>
        TargetRegex().IsMatch(target) ? target : throw new ActionFailedException($"invalid disk target '{Printable(target)}'");

    /// <summary>A MAC address <c>xx:xx:xx:xx:xx:xx</c>.</summary>
    public static string Mac(string mac) =>
        MacRegex().IsMatch(mac) ? mac : throw new ActionFailedException($"invalid MAC address '{Printable(mac)}'");

    /// <summary>
    /// A host name (RFC 1123 labels), an IPv4 address or an IPv6 address, as it may stand in
    /// <c>QEMU_PROTOCOL://HOST/system</c>; IPv6 comes back in brackets. Anything else (<c>?</c>, <c>/</c>,
    /// <c>@</c>, blanks, a leading <c>-</c>) is refused.
    /// </summary>
    public static string UriHost(string host)
    {
        if (HostRegex().IsMatch(host) && host.Length <= 253) return host;
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (bare.Contains(':', StringComparison.Ordinal) && IPAddress.TryParse(bare, out var address)
            && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && !bare.Contains('%', StringComparison.Ordinal))
        {
            return $"[{bare}]";
        }
        throw new ActionFailedException($"invalid host name '{Printable(host)}'");
    }

    private static string Printable(string text) => new(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());

    [GeneratedRegex(@"^[A-Za-z0-9_.:+][A-Za-z0-9_.:+@-]*\z")]
    private static partial Regex DomainRegex();

    [GeneratedRegex(@"^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}\z")]
    private static partial Regex MacRegex();

    [GeneratedRegex(@"^[a-z]{2,3}[a-z]{1,3}\z")]
    private static partial Regex TargetRegex();

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?\z")]
    private static partial Regex HostRegex();
}
