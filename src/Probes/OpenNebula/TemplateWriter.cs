using System.Globalization;
using System.Text;

namespace OneKvm.Probes.OpenNebula;

/// <summary>
/// Writes OpenNebula template syntax (<c>src/parsers/template_syntax.y</c>): <c>NAME=value</c>,
/// <c>NAME="value"</c> and <c>NAME = [ K = "v", … ]</c>. Strings are always quoted with <c>"</c>
/// escaped as <c>\"</c>; newlines never appear inside a value. Numbers are invariant-culture.
/// </summary>
public sealed class TemplateWriter
{
    private readonly StringBuilder _text = new();

    /// <summary><c>NAME=value</c> unquoted (numbers, or the words upstream prints bare).</summary>
    public TemplateWriter Bare(string name, string value)
    {
        _text.Append(name).Append('=').Append(value).Append('\n');
        return this;
    }

    /// <summary><c>NAME=123</c>.</summary>
    public TemplateWriter Bare(string name, long value) => Bare(name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary><c>NAME="value"</c>.</summary>
    public TemplateWriter Quoted(string name, string value)
    {
        _text.Append(name).Append("=\"").Append(Escape(value)).Append("\"\n");
        return this;
    }

    /// <summary><c>NAME = [ K1 = "v1", K2 = "v2" ]</c> on one line.</summary>
    public TemplateWriter Vector(string name, params ReadOnlySpan<(string Key, string Value)> pairs)
    {
        _text.Append(name).Append(" = [ ");
        for (var i = 0; i < pairs.Length; i++)
        {
            if (i > 0) _text.Append(", ");
            _text.Append(pairs[i].Key).Append(" = \"").Append(Escape(pairs[i].Value)).Append('"');
        }
        _text.Append(" ]\n");
        return this;
    }

    /// <summary>Appends text that is already in template syntax (one or more whole lines).</summary>
    public TemplateWriter Raw(string lines)
    {
        _text.Append(lines);
        if (lines.Length > 0 && lines[^1] != '\n') _text.Append('\n');
        return this;
    }

    public override string ToString() => _text.ToString();

    /// <summary>
    /// Makes a value safe inside <c>"…"</c>: <c>"</c> → <c>\"</c>, line breaks → a space, a trailing
    /// backslash dropped (it would escape the closing quote), <c>]]&gt;</c> broken up.
    /// </summary>
    public static string Escape(string value)
    {
        if (value.AsSpan().IndexOfAny("\"\n\r\\]") < 0) return value;
        var escaped = value.Replace("\r\n", " ", StringComparison.Ordinal)
            .Replace('\n', ' ').Replace('\r', ' ')
            .Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("]]>", "]] >", StringComparison.Ordinal);
        return escaped.EndsWith('\\') ? escaped.TrimEnd('\\') : escaped;
    }

    /// <summary>Formats a double with invariant culture and at most <paramref name="decimals"/> decimals.</summary>
    public static string Number(double value, int decimals = 2) =>
        Math.Round(value, decimals, MidpointRounding.AwayFromZero).ToString("0.##########", CultureInfo.InvariantCulture);
}
