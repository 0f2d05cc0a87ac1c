using System.Globalization;

using OneKvm.Libvirt.Stats;

namespace OneKvm.Probes.Virsh;

/// <summary>
/// Parses the text of <c>virsh domstats</c> (libvirt <c>tools/virsh-domain-monitor.c</c>):
/// <code>
/// Domain: 'one-74'
///   state.state=1
///   cpu.time=8353713000
///   net.0.rx.bytes=90
/// </code>
/// Records are separated by blank lines and come in any order. Keys are matched by name, never by
/// position; unknown keys (newer libvirt, <c>perf.*</c>, <c>dirtyrate.*</c>) are ignored. A known
/// numeric key with a value that is not a number is a <see cref="FormatException"/> naming the line.
/// Keys and values are compared as spans, so only names and string values allocate.
/// </summary>
public static class DomStatsParser
{
    private const string DomainPrefix = "Domain: '";

    /// <summary>Parses every record; <paramref name="source"/> names the input in errors.</summary>
    public static IReadOnlyList<DomainStats> Parse(string text, string source = "virsh domstats")
    {
        var result = new List<DomainStats>();
        DomainStatsBuilder? current = null;
        var lineNumber = 0;
        foreach (var rawLine in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r');
            if (line.IsWhiteSpace()) continue;
            if (line.StartsWith(DomainPrefix, StringComparison.Ordinal))
            {
                if (current is not null) result.Add(current.Build());
                var rest = line[DomainPrefix.Length..];
                var end = rest.LastIndexOf('\'');
                if (end < 0) throw Error(source, lineNumber, $"unterminated domain name in '{line}'");
                current = new DomainStatsBuilder(rest[..end].ToString());
                continue;
            }
            if (current is null) throw Error(source, lineNumber, $"'{line}' before the first 'Domain:' line");
            var body = line.TrimStart(' ');
            var eq = body.IndexOf('=');
            if (eq <= 0 || body.Length == line.Length)
                throw Error(source, lineNumber, $"expected '  key=value', got '{line}'");
            try
            {
                current.Set(body[..eq], body[(eq + 1)..]);
            }
            catch (FormatException e)
            {
                throw Error(source, lineNumber, e.Message);
            }
        }
        if (current is not null) result.Add(current.Build());
        return result;
    }

    private static FormatException Error(string source, int line, string message) =>
        new($"{source}:{line}: {message}");

    internal static ulong U64(ReadOnlySpan<char> key, ReadOnlySpan<char> value) =>
        ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v : throw new FormatException($"{key}: '{value}' is not an unsigned integer");

    internal static int I32(ReadOnlySpan<char> key, ReadOnlySpan<char> value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
            ? v : throw new FormatException($"{key}: '{value}' is not an integer");

    internal static long I64(ReadOnlySpan<char> key, ReadOnlySpan<char> value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
            ? v : throw new FormatException($"{key}: '{value}' is not an integer");

    /// <summary>Splits <c>N.rest</c> of an indexed key; false when it is not indexed (e.g. <c>count</c>).</summary>
    internal static bool TryIndex(ReadOnlySpan<char> key, ReadOnlySpan<char> full, out int index, out ReadOnlySpan<char> field)
    {
        var dot = key.IndexOf('.');
        field = default;
        index = -1;
        if (dot <= 0 || !char.IsAsciiDigit(key[0])) return false;
        if (!int.TryParse(key[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out index))
            throw new FormatException($"{full}: bad index");
        field = key[(dot + 1)..];
        return true;
    }
}
