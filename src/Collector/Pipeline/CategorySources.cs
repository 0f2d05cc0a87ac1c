using OneKvm.Probes;

namespace OneKvm.Collector.Pipeline;

/// <summary>Text of a category that has no typed sample (a plain <see cref="ICategory"/>).</summary>
public sealed record RenderedText(string Text);

/// <summary>Adapts categories to pipeline sources and renders their samples back to OpenNebula text.</summary>
public static class CategorySources
{
    /// <summary>A source collecting <paramref name="category"/>'s typed sample (or its text, for an untyped category).</summary>
    public static ProbeSource For(ICategory category, ProbeContext context, TimeSpan period, TimeSpan? timeout = null) =>
        new(category.Name, period, timeout ?? ProbeSource.DefaultTimeout(period), category switch
        {
            ISampledCategory sampled => ct => sampled.CollectSampleAsync(context, ct),
            _ => async ct => new RenderedText(await category.RenderAsync(context, ct)),
        })
        {
            MissingOf = category is ISampledCategory s ? s.MissingIn : null,
        };

    /// <summary>The OpenNebula text of a sample produced by <see cref="For"/> (pure).</summary>
    public static string Render(ICategory category, object sample, ProbeContext context) => sample switch
    {
        RenderedText rendered => rendered.Text,
        _ when category is ISampledCategory sampled => sampled.RenderSample(sample, context),
        _ => throw new ArgumentException($"{category.Name}: unexpected sample type {sample.GetType().Name}", nameof(sample)),
    };
}
