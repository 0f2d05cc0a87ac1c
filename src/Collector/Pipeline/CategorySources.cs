using OneKvm.Probes;

namespace OneKvm.Collector.Pipeline;

/// <summary>A category's tick: its OpenNebula payload, and what it lacks when a source failed (a partial category).</summary>
/// <param name="Text">The payload in template syntax (the part that could be read, for a partial category).</param>
/// <param name="Missing">What the payload lacks and why; empty when complete.</param>
public sealed record CategoryPayload(string Text, IReadOnlyList<string> Missing);

/// <summary>Adapts categories to pipeline sources whose sample is the rendered payload.</summary>
public static class CategorySources
{
    /// <summary>A source rendering <paramref name="category"/> on every tick.</summary>
    public static ProbeSource<CategoryPayload> For(ICategory category, ProbeContext context, TimeSpan period, TimeSpan? timeout = null) =>
        new(category.Name, period, timeout ?? ProbeSource.DefaultTimeout(period), ct => CollectAsync(category, context, ct))
        {
            MissingOf = payload => payload.Missing,
        };

    /// <summary>The category's payload; a partial category (<see cref="PartialCategoryException"/>) is its part and what is missing.</summary>
    public static async Task<CategoryPayload> CollectAsync(ICategory category, ProbeContext context, CancellationToken cancellationToken)
    {
        try
        {
            return new CategoryPayload(await category.RenderAsync(context, cancellationToken), []);
        }
        catch (PartialCategoryException partial)
        {
            return new CategoryPayload(partial.PartialPayload, [partial.Message]);
        }
    }
}
