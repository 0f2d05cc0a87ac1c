using System.Text.Json.Nodes;
using OneKvm.Collector.Tests.Support;

namespace OneKvm.Collector.Tests.Dashboards;

/// <summary>
/// The Grafana dashboards of <c>dashboards/grafana</c> against Grafana's dashboard JSON model
/// (classic model, schema version, panel types, datasource references through the variable, grid)
/// and against the metric names the exporter declares.
/// </summary>
public sealed class DashboardModelTests
{
    /// <summary>Grafana 11/12 classic model versions (39 = Grafana 11.0; 41 = Grafana 12).</summary>
    private const int MinSchemaVersion = 39;
    private const int MaxSchemaVersion = 41;

    private static readonly HashSet<string> PanelTypes =
        ["row", "timeseries", "stat", "gauge", "bargauge", "table", "state-timeline", "status-history", "piechart", "text", "heatmap"];

    public static TheoryData<string> Files() => new(GrafanaDashboard.All().Select(d => Path.GetFileName(d.File)));

    private static GrafanaDashboard Load(string file) => GrafanaDashboard.All().Single(d => Path.GetFileName(d.File) == file);

    [Fact]
    public void Dashboards_TheThreeOfTheIssue_ExistWithDistinctUids()
    {
        var all = GrafanaDashboard.All();
        all.Select(d => d.Title).Order().ShouldBe(["OneKvm / CPU fairness", "OneKvm / Host", "OneKvm / Virtual machines"]);
        all.Select(d => (string)d.Json["uid"]!).Distinct().Count().ShouldBe(all.Count);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Dashboard_Header_FollowsTheClassicModel(string file)
    {
        var d = Load(file).Json;
        ((int)d["schemaVersion"]!).ShouldBeInRange(MinSchemaVersion, MaxSchemaVersion, file);
        ((string)d["uid"]!).Length.ShouldBeInRange(1, 40, "Grafana limits uids to 40 characters");
        d["id"].ShouldBeNull("exported dashboards carry no database id");
        d["time"]!["from"].ShouldNotBeNull();
        d["annotations"]!["list"].ShouldBeOfType<JsonArray>();
        d["panels"].ShouldBeOfType<JsonArray>();
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Dashboard_Variables_DatasourceAndHost(string file)
    {
        var variables = Load(file).Json["templating"]!["list"]!.AsArray().Select(v => v!.AsObject()).ToList();
        var ds = variables.Single(v => (string)v["name"]! == "datasource");
        ((string)ds["type"]!).ShouldBe("datasource");
        ((string)ds["query"]!).ShouldBe("prometheus");
        var host = variables.Single(v => (string)v["name"]! == "host");
        ((string)host["type"]!).ShouldBe("query");
        host["datasource"]!.ToJsonString().ShouldBe("""{"type":"prometheus","uid":"${datasource}"}""");
        foreach (var v in variables.Where(v => (string)v["type"]! == "query"))
        {
            var query = (string?)v["definition"] ?? (string?)v["query"]?["query"];
            query.ShouldNotBeNullOrWhiteSpace($"variable {v["name"]}");
            // label_values(SELECTOR, LABEL): the selector's metric must be declared.
            query!.ShouldStartWith("label_values(");
            var selector = query["label_values(".Length..query.LastIndexOf(',')];
            DeclaredMetrics.UsedBy(selector).Where(n => !DeclaredMetrics.All.Contains(n))
                .ShouldBeEmpty($"{file}: variable {v["name"]}: {query}");
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Dashboard_Panels_TypesUnitsDatasourcesAndGrid(string file)
    {
        var dashboard = Load(file);
        var panels = dashboard.Panels.ToList();
        panels.Select(p => (int)p["id"]!).Distinct().Count().ShouldBe(panels.Count, $"{file}: panel ids are unique");
        foreach (var p in panels)
        {
            var name = $"{file}: panel '{p["title"]}'";
            var type = (string)p["type"]!;
            PanelTypes.ShouldContain(type, name);
            var grid = p["gridPos"]!;
            ((int)grid["x"]! + (int)grid["w"]!).ShouldBeLessThanOrEqualTo(24, name);
            ((int)grid["h"]!).ShouldBeGreaterThan(0, name);
            if (type == "row") continue;
            ((string?)p["title"]).ShouldNotBeNullOrWhiteSpace(name);
            ((string?)p["description"]).ShouldNotBeNullOrWhiteSpace(name);
            ((string?)p["fieldConfig"]?["defaults"]?["unit"]).ShouldNotBeNullOrWhiteSpace($"{name} has no unit");
            p["datasource"]!.ToJsonString().ShouldBe("""{"type":"prometheus","uid":"${datasource}"}""", name);
            var targets = p["targets"]!.AsArray();
            targets.Count.ShouldBeGreaterThan(0, name);
            targets.Select(t => (string)t!["refId"]!).Distinct().Count().ShouldBe(targets.Count, $"{name}: refIds are unique");
            foreach (var t in targets)
            {
                t!["datasource"]!.ToJsonString().ShouldBe("""{"type":"prometheus","uid":"${datasource}"}""", name);
                ((string?)t["expr"]).ShouldNotBeNullOrWhiteSpace(name);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Dashboard_Queries_UseOnlyDeclaredMetricsAndTheHostVariable(string file)
    {
        foreach (var q in Load(file).Queries)
        {
            var used = DeclaredMetrics.UsedBy(q.Expr);
            used.ShouldNotBeEmpty(q.ToString());
            used.Where(n => !DeclaredMetrics.All.Contains(n)).ShouldBeEmpty(q.ToString());
            q.Expr.ShouldContain("instance=~\"$host\"", customMessage: q.ToString());
        }
    }

    [Fact]
    public void DeclaredMetrics_NamesFromTheCode_AreFoundAndAMisspellingIsCaught()
    {
        DeclaredMetrics.ExporterFamilies.ShouldContain("onekvm_vm_cpu_seconds_total");
        DeclaredMetrics.ExporterFamilies.ShouldContain("onekvm_build_info");
        DeclaredMetrics.RuntimeFamilies.ShouldContain("process_cpu_seconds_total");
        DeclaredMetrics.UsedBy("sum by (instance) (rate(onekvm_vm_cpu_seconds_totl{instance=~\"$host\"}[5m])) / on(instance) onekvm_host_cpus")
            .ShouldBe(["onekvm_vm_cpu_seconds_totl", "onekvm_host_cpus"]);
    }
}
