using System.Text.Json.Nodes;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Support;

/// <summary>One query of one panel.</summary>
internal sealed record PanelQuery(string Dashboard, string Panel, string RefId, string Expr)
{
    public override string ToString() => $"dashboard '{Dashboard}', panel '{Panel}', query {RefId}: {Expr}";

    /// <summary>The expression as Grafana sends it with every variable at "All" and a 1-minute rate interval.</summary>
    public string Resolved => Expr.Replace("$__rate_interval", "1m", StringComparison.Ordinal)
        .Replace("$__interval", "15s", StringComparison.Ordinal)
        .Replace("$host", ".+", StringComparison.Ordinal)
        .Replace("$vm", ".+", StringComparison.Ordinal);
}

/// <summary>A Grafana dashboard JSON file of <c>dashboards/grafana</c>.</summary>
internal sealed record GrafanaDashboard(string File, JsonObject Json)
{
    public static string Directory => Path.Join(TestPaths.RepoRoot, "dashboards", "grafana");

    public static IReadOnlyList<GrafanaDashboard> All() => Load(Directory);

    public static IReadOnlyList<GrafanaDashboard> Load(string directory) => System.IO.Directory
        .GetFiles(directory, "*.json").Order(StringComparer.Ordinal)
        .Select(f => new GrafanaDashboard(f, JsonNode.Parse(System.IO.File.ReadAllText(f))!.AsObject())).ToList();

    public string Title => (string)Json["title"]!;

    /// <summary>Every panel, the panels of collapsed rows included; rows themselves too.</summary>
    public IEnumerable<JsonObject> Panels => Json["panels"]!.AsArray().Select(p => p!.AsObject())
        .SelectMany(p => p["panels"] is JsonArray nested ? nested.Select(n => n!.AsObject()).Prepend(p) : [p]);

    public IEnumerable<PanelQuery> Queries => Panels.Where(p => (string?)p["type"] != "row")
        .SelectMany(p => (p["targets"]?.AsArray() ?? []).Select(t => new PanelQuery(
            Title, (string)p["title"]!, (string?)t!["refId"] ?? "?", (string?)t["expr"] ?? "")));
}
