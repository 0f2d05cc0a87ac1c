using System.Text.RegularExpressions;
using OneKvm.Collector.Tests.Support;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Dashboards;

/// <summary>The alert rules under <c>dashboards/prometheus</c>, checked and unit-tested by the real promtool.</summary>
public sealed partial class AlertRulesTests
{
    private static string RulesDir => Path.Join(TestPaths.RepoRoot, "dashboards", "prometheus");

    private static (int ExitCode, string Output) Promtool(params string[] args) => Support.Promtool.Run(RulesDir, args);

    [Fact]
    public void Rules_PromtoolCheck_Passes()
    {
        var (code, output) = Promtool("check", "rules", "onekvm.rules.yml");
        code.ShouldBe(0, output);
    }

    [Fact]
    public void Rules_PromtoolUnitTests_Pass()
    {
        var (code, output) = Promtool("test", "rules", "onekvm.rules.test.yml");
        code.ShouldBe(0, output);
    }

    [Fact]
    public void Rules_EveryMetricTheyUse_IsOneTheExporterDeclares()
    {
        var rules = RuleFile.Load(Path.Join(RulesDir, "onekvm.rules.yml"));
        rules.ShouldNotBeEmpty();
        foreach (var rule in rules)
        {
            var used = DeclaredMetrics.UsedBy(rule.Expr);
            used.ShouldNotBeEmpty(rule.Name);
            used.Where(n => !DeclaredMetrics.All.Contains(n)).ShouldBeEmpty($"{rule.Name}: {rule.Expr}");
        }
    }

    [Fact]
    public void Rules_EveryAlert_HasSummaryDescriptionSeverityAndAUnitTest()
    {
        var tests = File.ReadAllText(Path.Join(RulesDir, "onekvm.rules.test.yml"));
        foreach (var alert in RuleFile.Load(Path.Join(RulesDir, "onekvm.rules.yml")).Where(r => r.IsAlert))
        {
            alert.Annotations.GetValueOrDefault("summary").ShouldNotBeNullOrWhiteSpace(alert.Name);
            alert.Annotations.GetValueOrDefault("description").ShouldNotBeNullOrWhiteSpace(alert.Name);
            alert.Labels.GetValueOrDefault("severity").ShouldBeOneOf(["critical", "warning"], alert.Name);
            Regex.IsMatch(tests, $@"alertname:\s*{alert.Name}\s*\n\s*exp_alerts:\s*\n\s*- exp_labels").ShouldBeTrue($"{alert.Name} has no firing promtool test");
        }
    }
}
