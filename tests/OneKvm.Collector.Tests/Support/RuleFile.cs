using YamlDotNet.RepresentationModel;

namespace OneKvm.Collector.Tests.Support;

/// <summary>One rule of a Prometheus rule file.</summary>
internal sealed record PrometheusRule(string Group, string Name, bool IsAlert, string Expr,
    IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations);

/// <summary>Reads Prometheus rule files (YAML) with YamlDotNet.</summary>
internal static class RuleFile
{
    public static IReadOnlyList<PrometheusRule> Load(string path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(path)));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var rules = new List<PrometheusRule>();
        foreach (var group in ((YamlSequenceNode)root["groups"]).Cast<YamlMappingNode>())
        {
            foreach (var rule in ((YamlSequenceNode)group["rules"]).Cast<YamlMappingNode>())
            {
                var isAlert = rule.Children.ContainsKey("alert");
                rules.Add(new PrometheusRule(
                    Text(group["name"]), Text(rule[isAlert ? "alert" : "record"]), isAlert, Text(rule["expr"]),
                    Map(rule, "labels"), Map(rule, "annotations")));
            }
        }
        return rules;
    }

    private static string Text(YamlNode node) => ((YamlScalarNode)node).Value ?? "";

    private static Dictionary<string, string> Map(YamlMappingNode rule, string key) =>
        rule.Children.TryGetValue(key, out var node)
            ? ((YamlMappingNode)node).Children.ToDictionary(kv => Text(kv.Key), kv => Text(kv.Value), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
