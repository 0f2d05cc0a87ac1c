namespace OneKvm.Probes.Audit;

/// <summary>The result of <c>--fix</c> on one domain; shares read back from the kernel.</summary>
public sealed record ShareFix(string Domain, long? Before, long Target, long? After, string? Error)
{
    public bool Fixed => Error is null && After == Target;
}
