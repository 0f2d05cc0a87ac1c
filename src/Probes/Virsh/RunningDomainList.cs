using System.Globalization;

namespace OneKvm.Probes.Virsh;

/// <summary>
/// Parses <c>virsh list</c> (running domains only):
/// <code> Id   Name     State
///-------------------------
/// 4    one-81   running</code>
/// Names may contain spaces; the state is the last word(s) after the name column, so the name is
/// everything between the id and the state of known single- or two-word states.
/// </summary>
public static class RunningDomainList
{
    private static readonly string[] States = ["running", "idle", "paused", "in shutdown", "shut off", "crashed", "pmsuspended"];

    public static IReadOnlyList<(int Id, string Name)> Parse(string text)
    {
        var domains = new List<(int, string)>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith("Id", StringComparison.Ordinal) || line.StartsWith("---", StringComparison.Ordinal)) continue;
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space < 0 || !int.TryParse(line.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                if (line.StartsWith('-')) continue; // "-" id: not running
                throw new FormatException($"virsh list:{lineNumber}: unexpected line '{raw}'");
            }
            var rest = line[space..].Trim();
            var state = States.FirstOrDefault(s => rest.EndsWith(" " + s, StringComparison.Ordinal))
                ?? throw new FormatException($"virsh list:{lineNumber}: unknown state in '{raw}'");
            domains.Add((id, rest[..^state.Length].TrimEnd()));
        }
        return domains;
    }
}
