using OneKvm.Collector.Pipeline;

namespace OneKvm.Benchmarks.Pipeline;

/// <summary>Runs one <see cref="ProbeSource"/> tick directly (no timers).</summary>
public sealed class ProbeSourceRunner(ProbeSource source)
{
    public Task<object> RunAsync() => source.CollectAsync(CancellationToken.None);
}
