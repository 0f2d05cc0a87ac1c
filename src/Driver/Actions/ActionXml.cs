using System.Xml;
using System.Xml.Linq;

namespace OneKvm.Driver.Actions;

/// <summary>Reads the <c>VMM_DRIVER_ACTION_DATA</c> document handed to an action (Base64 argument or stdin).</summary>
internal static class ActionXml
{
    /// <summary>Decodes <paramref name="base64"/> when given, else reads stdin; errors say which and where.</summary>
    public static async Task<XDocument> LoadAsync(string? base64, TextReader stdin, CancellationToken cancellationToken)
    {
        string text, source;
        if (!string.IsNullOrEmpty(base64) && base64 != "-")
        {
            source = "action data argument";
            try
            {
                text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            }
            catch (FormatException e)
            {
                throw new ActionFailedException($"{source}: not Base64: {e.Message}", e);
            }
        }
        else
        {
            source = "action data on stdin";
            text = await stdin.ReadToEndAsync(cancellationToken);
        }
        try
        {
            return XDocument.Parse(text);
        }
        catch (XmlException e)
        {
            throw new ActionFailedException($"{source}:{e.LineNumber}: not well-formed XML: {e.Message}", e);
        }
    }

    /// <summary>The child elements of <paramref name="element"/> as upper-case attribute names → values.</summary>
    public static Dictionary<string, string> Attributes(XElement element) =>
        element.Elements().GroupBy(e => e.Name.LocalName.ToUpperInvariant())
            .ToDictionary(g => g.Key, g => g.First().Value.Trim(), StringComparer.Ordinal);
}
