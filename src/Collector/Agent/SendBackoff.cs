namespace OneKvm.Collector.Agent;

/// <summary>Upstream's delays after consecutive send errors: 1, 1, 1, 2, 4, 8, 8, 16, 32, 64 s, then 64 s.</summary>
public static class SendBackoff
{
    private static readonly int[] Seconds = [1, 1, 1, 2, 4, 8, 8, 16, 32, 64];

    /// <summary>The delay after the <paramref name="failures"/>-th consecutive failure (1-based).</summary>
    public static TimeSpan After(int failures) =>
        TimeSpan.FromSeconds(Seconds[Math.Clamp(failures, 1, Seconds.Length) - 1]);
}
