using OneKvm.Probes;

namespace OneKvm.Collector.Agent;

/// <summary>The start-up pass: every category of the start-up document once, in upstream's order.</summary>
internal static class StartupRun
{
    public sealed record Outcome(IReadOnlyList<(string Type, string? Text, string? Error)> Results, IReadOnlySet<string> Ran, bool Failed);

    public static async Task<Outcome> RunAsync(
        IReadOnlyList<ICategory> categories, ProbeContext context, ProbePeriods periods, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var results = new List<(string, string?, string?)>();
        var ran = new HashSet<string>(StringComparer.Ordinal);
        var ordered = categories
            .Where(c => StartupDocument.Order.Contains(c.MessageType))
            .OrderBy(c => IndexOf(c.MessageType));
        foreach (var category in ordered)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout ?? periods.For(category)!.Value);
            try
            {
                results.Add((category.MessageType, await category.RenderAsync(context, limit.Token), null));
                ran.Add(category.Name);
            }
            catch (PartialCategoryException e)
            {
                context.Warn($"{category.Name}: incomplete: {e.Message}");
                results.Add((category.MessageType, e.PartialPayload, null));
                ran.Add(category.Name);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var message = e is OperationCanceledException ? "did not finish in time" : e.Message;
                results.Add((category.MessageType, null, AgentRunner.FailureText(category, message)));
                return new Outcome(results, ran, true);
            }
        }
        return new Outcome(results, ran, false);
    }

    private static int IndexOf(string type)
    {
        for (var i = 0; i < StartupDocument.Order.Count; i++) if (StartupDocument.Order[i] == type) return i;
        return int.MaxValue;
    }
}
