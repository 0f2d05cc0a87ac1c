using System.Globalization;
using System.Text;

namespace OneKvm.Collector.Agent;

/// <summary>
/// The <c>MONITOR_MESSAGES</c> document the agent prints at start: one element per category with
/// the plain Base64 of its text (not compressed, not encrypted), then <c>TIMESTAMP</c>.
/// </summary>
public static class StartupDocument
{
    /// <summary>Upstream's start-up order of message types (beacon is not part of it).</summary>
    public static IReadOnlyList<string> Order { get; } = ["SYSTEM_HOST", "MONITOR_HOST", "STATE_VM", "EXEC_VM", "MONITOR_VM"];

    /// <summary>
    /// Renders the document for <paramref name="results"/> (message type, text) in order. A failed
    /// category ends the document early with the raw error text as its body, as upstream does.
    /// </summary>
    public static string Render(IEnumerable<(string Type, string? Text, string? Error)> results, long epoch)
    {
        var document = new StringBuilder("<MONITOR_MESSAGES>");
        foreach (var (type, text, error) in results)
        {
            document.Append('<').Append(type).Append('>');
            if (error is not null)
            {
                return document.Append(System.Security.SecurityElement.Escape(error)).Append("</").Append(type).Append(">\n").ToString();
            }
            document.Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(text ?? "")))
                .Append("</").Append(type).Append(">\n");
        }
        return document.Append("<TIMESTAMP>").Append(epoch.ToString(CultureInfo.InvariantCulture))
            .Append("</TIMESTAMP></MONITOR_MESSAGES>\n").ToString();
    }
}
