using System.Globalization;
using System.Text;

namespace OneKvm.Cgroups.Vm;

/// <summary>
/// libvirt's machine name for a QEMU domain and the cgroup directory names derived from it.
/// Names are computed forwards from (domain id, name); the
/// lossy sanitising means directory names are never mapped back to domains.
/// </summary>
public static class MachineName
{
    private const int MaxLength = 64;

    /// <summary><c>qemu-&lt;id&gt;-&lt;name&gt;</c> keeping only <c>[A-Za-z0-9-.]</c>, runs of <c>-</c>/<c>.</c> collapsed, trailing ones trimmed, cut at 64.</summary>
    public static string For(int domainId, string domainName)
    {
        var text = new StringBuilder("qemu-").Append(domainId.ToString(CultureInfo.InvariantCulture)).Append('-');
        var skipSeparator = true;
        foreach (var c in domainName)
        {
            if (text.Length >= MaxLength) break;
            if (c is '.' or '-')
            {
                if (!skipSeparator) text.Append(c);
                skipSeparator = true;
                continue;
            }
            skipSeparator = false;
            if (char.IsAsciiLetterOrDigit(c)) text.Append(c);
        }
        return text.ToString().TrimEnd('-', '.');
    }

    /// <summary>systemd unit-name escaping: <c>/</c> → <c>-</c>; anything outside <c>[0-9A-Za-z:_.]</c> (and a leading <c>.</c>) → <c>\xNN</c>.</summary>
    public static string SystemdEscape(string value)
    {
        var text = new StringBuilder(value.Length * 2);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '/') text.Append('-');
            else if ((char.IsAsciiLetterOrDigit(c) || c is ':' or '_' || (c == '.' && i > 0)) && c < 128) text.Append(c);
            else foreach (var b in Encoding.UTF8.GetBytes(c.ToString())) text.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
        }
        return text.ToString();
    }

    /// <summary>
    /// VM directories libvirt may have created, relative to a hierarchy root, most likely first:
    /// systemd scope, the older systemd scope without the id, and the non-systemd layout.
    /// </summary>
    public static IReadOnlyList<string> CandidateDirectories(int domainId, string domainName)
    {
        var machine = For(domainId, domainName);
        return
        [
            $"machine.slice/machine-{SystemdEscape(machine)}.scope",
            $"machine.slice/machine-{SystemdEscape("qemu-" + domainName)}.scope",
            $"machine/{machine}.libvirt-qemu",
        ];
    }
}
