using System.Globalization;

namespace OneKvm.Probes.Virsh;

/// <summary>
/// Parses <c>virsh list --uuid --id --name</c>, one domain per line, the name last (it may contain
/// spaces); inactive domains have <c>-</c> as id:
/// <code>6695eb01-f6a4-8304-79aa-97f2502e193f 1 test</code>
/// </summary>
public static class DomainListParser
{
    public static IReadOnlyList<DomainListEntry> Parse(string text, string source = "virsh list")
    {
        var result = new List<DomainListEntry>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (string.IsNullOrWhiteSpace(line)) continue;
            var first = line.IndexOf(' ', StringComparison.Ordinal);
            var second = first < 0 ? -1 : line.IndexOf(' ', first + 1);
            if (second < 0 || second == line.Length - 1 || !Guid.TryParseExact(line[..first], "D", out _))
                throw new FormatException($"{source}:{lineNumber}: expected 'UUID ID NAME', got '{line}'");
            var idText = line[(first + 1)..second];
            int? id = idText == "-" ? null
                : int.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
                : throw new FormatException($"{source}:{lineNumber}: domain id '{idText}' is not a number");
            result.Add(new DomainListEntry(line[..first].ToLowerInvariant(), id, line[(second + 1)..]));
        }
        return result;
    }
}
