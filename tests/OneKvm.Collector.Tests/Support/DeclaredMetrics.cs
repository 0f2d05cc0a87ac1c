using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using OneKvm.Collector.Exporter;
using OneKvm.Tests;
using Prometheus;

namespace OneKvm.Collector.Tests.Support;

/// <summary>
/// The metric names dashboards and rules may use, taken from the code rather than from a copied
/// list: every <see cref="MetricSpec{TEntity}"/> the exporter's <c>*Specs</c> classes declare, the
/// <c>process_*</c> / <c>dotnet_*</c> families prometheus-net's <see cref="DotNetStats"/> writes
/// (serve registers it), Prometheus' own <c>up</c>, and the recording rules' names.
/// </summary>
internal static partial class DeclaredMetrics
{
    public static IReadOnlySet<string> ExporterFamilies { get; } = typeof(SnapshotExporter).Assembly.GetTypes()
        .Where(t => t.Namespace == typeof(SnapshotExporter).Namespace && t.Name.EndsWith("Specs", StringComparison.Ordinal))
        .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Static))
        .Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(IReadOnlyList<>)
            && p.PropertyType.GetGenericArguments()[0] is { IsGenericType: true } e && e.GetGenericTypeDefinition() == typeof(MetricSpec<>))
        .SelectMany(p => ((System.Collections.IEnumerable)p.GetValue(null)!).Cast<object>())
        .Select(spec => (string)spec.GetType().GetProperty(nameof(MetricSpec<object>.Name))!.GetValue(spec)!)
        .ToHashSet(StringComparer.Ordinal);

    public static IReadOnlySet<string> RuntimeFamilies { get; } = ReadRuntimeFamilies();

    public static IReadOnlySet<string> RecordedSeries { get; } = RecordName()
        .Matches(File.ReadAllText(Path.Join(TestPaths.RepoRoot, "dashboards", "prometheus", "onekvm.rules.yml")))
        .Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every name a query may select.</summary>
    public static IReadOnlySet<string> All { get; } =
        ExporterFamilies.Concat(RuntimeFamilies).Concat(RecordedSeries).Append("up").ToHashSet(StringComparer.Ordinal);

    /// <summary>The metric names a PromQL expression selects (identifiers before a selector brace or a range, or standing alone).</summary>
    public static IReadOnlyList<string> UsedBy(string promql)
    {
        var withoutStrings = QuotedString().Replace(promql, "\"\"");
        var withoutGrouping = Grouping().Replace(withoutStrings, "");
        return Identifier().Matches(withoutGrouping).Select(m => m.Value)
            .Where(name => !PromQlWords.Contains(name) && !IsFunctionCall(withoutGrouping, name))
            .Distinct(StringComparer.Ordinal).ToList();
    }

    private static bool IsFunctionCall(string expr, string name) =>
        Regex.IsMatch(expr, $@"(?<![\w:]){Regex.Escape(name)}\s*\(");

    private static readonly HashSet<string> PromQlWords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset",
        "sum", "min", "max", "avg", "count", "count_values", "topk", "bottomk", "quantile", "stddev", "stdvar", "group", "inf", "nan",
    };

    private static HashSet<string> ReadRuntimeFamilies()
    {
        var registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(registry);
        using var stream = new MemoryStream();
        registry.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
        return Encoding.UTF8.GetString(stream.ToArray()).Split('\n')
            .Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2])
            .ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"record:\s*([a-zA-Z_:][a-zA-Z0-9_:]*)")]
    private static partial Regex RecordName();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex QuotedString();

    /// <summary><c>{…}</c> matchers, <c>by (…)</c> / <c>on (…)</c> label lists and <c>[…]</c> ranges: label names, not metrics.</summary>
    [GeneratedRegex(@"\{[^}]*\}|\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)|\[[^\]]*\]")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![\w:.$])[a-zA-Z_:][a-zA-Z0-9_:]*(?![\w:])")]
    private static partial Regex Identifier();
}
