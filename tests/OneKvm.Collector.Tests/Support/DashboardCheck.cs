using System.Text.Json;
using OneKvm.Collector.Tests.Support;

namespace OneKvm.Collector.Tests.Support;

/// <summary>
/// Evaluates dashboard queries and rules against a running Prometheus through its HTTP API and
/// says, per query, what went wrong (naming dashboard, panel and query).
/// </summary>
internal static class DashboardCheck
{
    /// <summary>
    /// One line per failing query: a PromQL error, or no series. <paramref name="mayBeEmpty"/> names
    /// queries whose data the host cannot have (e.g. PSI on cgroup v1): those must then BE empty.
    /// </summary>
    public static async Task<List<string>> EvaluateAsync(PrometheusServer prometheus, IEnumerable<PanelQuery> queries, Func<PanelQuery, bool>? mayBeEmpty = null)
    {
        var failures = new List<string>();
        foreach (var query in queries)
        {
            var (ok, error, series) = await prometheus.TryQueryAsync(query.Resolved);
            var absentExpected = mayBeEmpty?.Invoke(query) ?? false;
            if (!ok) failures.Add($"{query}: error: {error}");
            else if (series == 0 && !absentExpected) failures.Add($"{query}: no series");
            else if (series > 0 && absentExpected) failures.Add($"{query}: has series although this host cannot provide them");
        }
        return failures;
    }

    /// <summary>
    /// Every rule Prometheus loaded: evaluated with health ok; a recording rule's series exist; every
    /// metric an alert watches has series (so the alert is not blind), and its expression evaluates.
    /// </summary>
    public static async Task<List<string>> EvaluateRulesAsync(PrometheusServer prometheus, IReadOnlyList<PrometheusRule> rules)
    {
        var failures = new List<string>();
        using var api = await prometheus.ApiAsync("/api/v1/rules");
        var loaded = api.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("rules").EnumerateArray())
            .ToDictionary(r => r.GetProperty("name").GetString()!, r => r.Clone(), StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            if (!loaded.TryGetValue(rule.Name, out var state))
            {
                failures.Add($"rule {rule.Name}: not loaded by Prometheus");
                continue;
            }
            if (state.GetProperty("health").GetString() != "ok")
                failures.Add($"rule {rule.Name}: health {state.GetProperty("health").GetString()}: {(state.TryGetProperty("lastError", out var e) ? e.GetString() : "")}");
            var (ok, error, series) = await prometheus.TryQueryAsync(rule.IsAlert ? rule.Expr : rule.Name);
            if (!ok) failures.Add($"rule {rule.Name}: error: {error}");
            else if (!rule.IsAlert && series == 0) failures.Add($"rule {rule.Name}: recorded no series");
            if (!rule.IsAlert) continue;
            foreach (var metric in DeclaredMetrics.UsedBy(rule.Expr))
            {
                var (found, why, count) = await prometheus.TryQueryAsync(metric);
                if (!found || count == 0) failures.Add($"alert {rule.Name}: watches {metric}, which has no series {why}");
            }
        }
        return failures;
    }

    /// <summary>Waits until Prometheus has evaluated every rule at least once.</summary>
    public static async Task WaitForRuleEvaluationAsync(PrometheusServer prometheus, int count, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            using var api = await prometheus.ApiAsync("/api/v1/rules");
            var rules = api.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray()
                .SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToList();
            if (rules.Count == count && rules.All(r => r.GetProperty("lastEvaluation").GetString() is { } t && !t.StartsWith("0001", StringComparison.Ordinal)))
                return;
            await Task.Delay(500);
        }
        throw new TimeoutException("Prometheus did not evaluate every rule");
    }
}
