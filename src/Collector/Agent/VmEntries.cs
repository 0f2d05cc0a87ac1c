namespace OneKvm.Collector.Agent;

/// <summary>Splits template text at its top-level <c>VM = [ … ]</c> vectors.</summary>
public static class VmEntries
{
    /// <summary>
    /// Returns the text before the first <c>VM</c> vector and each vector with the text up to the next
    /// one, e.g. <c>VM = [ ID="42", DEPLOY_ID="…", MONITOR="…"]\n</c>. Quoted values (which may
    /// contain <c>]</c>) are skipped; concatenating head and entries gives the input back.
    /// </summary>
    public static (string Head, IReadOnlyList<string> Entries) Split(string text)
    {
        var starts = new List<int>();
        var inQuotes = false;
        var depth = 0;
        var lineStart = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '\\' && i + 1 < text.Length && text[i + 1] == '"') i++;
                else if (c == '"') inQuotes = false;
                continue;
            }
            if (lineStart && depth == 0 && IsVmStart(text, i)) starts.Add(i);
            lineStart = c == '\n' || (lineStart && (c == ' ' || c == '\t'));
            if (c == '"') inQuotes = true;
            else if (c == '[') depth++;
            else if (c == ']' && depth > 0) depth--;
        }
        if (starts.Count == 0) return (text, []);
        var entries = new List<string>(starts.Count);
        for (var k = 0; k < starts.Count; k++)
        {
            var end = k + 1 < starts.Count ? starts[k + 1] : text.Length;
            entries.Add(text[starts[k]..end]);
        }
        return (text[..starts[0]], entries);
    }

    private static bool IsVmStart(string text, int i)
    {
        if (string.CompareOrdinal(text, i, "VM", 0, 2) != 0) return false;
        var j = i + 2;
        while (j < text.Length && (text[j] == ' ' || text[j] == '\t')) j++;
        return j < text.Length && text[j] == '=';
    }
}
