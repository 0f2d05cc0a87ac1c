using System.Diagnostics;
using System.Text.RegularExpressions;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Dashboards;

/// <summary>The alert rules under <c>dashboards/prometheus</c>, checked and unit-tested by the real promtool.</summary>
public sealed partial class AlertRulesTests
{
    private static string RulesDir => Path.Join(TestPaths.RepoRoot, "dashboards", "prometheus");

    private static (int ExitCode, string Output) Promtool(params string[] args)
    {
        var info = new ProcessStartInfo("promtool") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RulesDir };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

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
        var declared = File.ReadAllLines(Path.Join(TestPaths.Fixtures, "exporter", "two-vms.prom"))
            .Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToHashSet();
        var used = MetricName().Matches(File.ReadAllText(Path.Join(RulesDir, "onekvm.rules.yml"))).Select(m => m.Value).Distinct().ToList();
        used.ShouldNotBeEmpty();
        used.Where(n => !declared.Contains(n)).ShouldBeEmpty();
    }

    [GeneratedRegex(@"\bonekvm_[a-z_]+\b")]
    private static partial Regex MetricName();
}
