using System.Text;

namespace OneKvm.Probes.OpenNebula;

/// <summary>
/// Parses OpenNebula's <c>kvmrc</c> (<c>/var/tmp/one/etc/vmm/kvm/kvmrc</c>), a shell fragment of
/// assignments:
/// <code>
/// export LIBVIRT_URI=qemu:///system
/// SHUTDOWN_TIMEOUT=180          # seconds
/// VIRTIOFSD_BINARY_PATH="/usr/libexec/virtiofsd /usr/lib/qemu/virtiofsd"
/// #MIGRATE_OPTIONS=--unsafe
/// </code>
/// Accepts <c>export NAME=value</c>, <c>NAME=value</c>, double- and single-quoted values (a double-
/// quoted value may span lines), trailing comments and bare <c>export NAME</c>. Anything else is a
/// <see cref="FormatException"/> naming the file and line. Values are taken literally: no
/// <c>$VAR</c> expansion, as nothing in the shipped file relies on it.
/// </summary>
public static class KvmrcParser
{
    /// <summary>Parses <paramref name="text"/>; <paramref name="fileName"/> is used in error messages.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string text, string fileName)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var lineNumber = index + 1;
            var line = lines[index].Trim();
            if (line.Length == 0 || line[0] == '#') continue;

            if (line.StartsWith("export ", StringComparison.Ordinal) || line.StartsWith("export\t", StringComparison.Ordinal))
            {
                line = line[7..].TrimStart();
                if (IsName(line)) continue; // "export NAME": exports an existing variable.
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !IsName(line[..equals]))
                throw Error(fileName, lineNumber, $"expected NAME=value or export NAME=value, got '{lines[index].Trim()}'");

            var name = line[..equals];
            var rest = line[(equals + 1)..];
            var value = ReadValue(rest, lines, ref index, fileName, lineNumber);
            values[name] = value;
        }
        return values;
    }

    private static string ReadValue(string rest, string[] lines, ref int index, string fileName, int lineNumber)
    {
        var value = new StringBuilder();
        var i = 0;
        while (i < rest.Length)
        {
            var c = rest[i];
            if (c is ' ' or '\t')
            {
                var tail = rest[i..].TrimStart();
                if (tail.Length == 0 || tail[0] == '#') break;
                throw Error(fileName, lineNumber, $"unexpected text after the value: '{tail}' (quote values that contain blanks)");
            }
            if (c == '\'')
            {
                var end = rest.IndexOf('\'', i + 1);
                if (end < 0) throw Error(fileName, lineNumber, "unterminated single quote");
                value.Append(rest, i + 1, end - i - 1);
                i = end + 1;
            }
            else if (c == '"')
            {
                i++;
                while (true)
                {
                    if (i >= rest.Length)
                    {
                        // A double-quoted value may continue on the next line.
                        if (index + 1 >= lines.Length) throw Error(fileName, lineNumber, "unterminated double quote");
                        value.Append('\n');
                        rest = lines[++index];
                        i = 0;
                        continue;
                    }
                    var q = rest[i];
                    if (q == '"') { i++; break; }
                    if (q == '\\' && i + 1 < rest.Length && rest[i + 1] is '"' or '\\' or '$' or '`')
                    {
                        value.Append(rest[i + 1]);
                        i += 2;
                        continue;
                    }
                    value.Append(q);
                    i++;
                }
            }
            else if (c == '\\' && i + 1 < rest.Length)
            {
                value.Append(rest[i + 1]);
                i += 2;
            }
            else if (c is ';' or '|' or '&' or '(' or ')' or '`')
            {
                throw Error(fileName, lineNumber, $"shell syntax '{c}' is not supported in kvmrc");
            }
            else
            {
                value.Append(c);
                i++;
            }
        }
        return value.ToString();
    }

    private static bool IsName(string text)
    {
        if (text.Length == 0 || char.IsAsciiDigit(text[0])) return false;
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_') return false;
        }
        return true;
    }

    private static FormatException Error(string fileName, int line, string message) =>
        new($"{fileName}:{line}: {message}");
}
