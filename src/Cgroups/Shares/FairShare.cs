namespace OneKvm.Cgroups.Shares;

/// <summary>One claimant of <see cref="FairShare.Allocate"/>: a weight and a cap (both ≥ 0).</summary>
public readonly record struct FairShareClaim(double Weight, double Cap);

/// <summary>
/// Weighted max-min fair allocation by water-filling: every claimant gets <c>min(cap, λ × weight)</c>
/// with the level λ chosen so the allocations use the whole capacity, or every claimant gets its cap
/// when the caps together fit. This is how CFS divides CPU among sibling cgroups whose tasks all
/// want to run: in proportion to weight, except that a VM cannot use more cores than it has vCPUs,
/// and what it cannot use is shared among the others.
/// </summary>
public static class FairShare
{
    /// <summary>Allocates <paramref name="capacity"/>; the result is in the order of <paramref name="claims"/>.</summary>
    public static double[] Allocate(double capacity, IReadOnlyList<FairShareClaim> claims)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        var result = new double[claims.Count];
        var order = Enumerable.Range(0, claims.Count)
            .Where(i => claims[i].Weight > 0 && claims[i].Cap > 0)
            .OrderBy(i => claims[i].Cap / claims[i].Weight)
            .ToList();
        foreach (var i in order)
        {
            if (!(claims[i].Weight >= 0) || !(claims[i].Cap >= 0))
                throw new ArgumentException($"claim {i}: weight and cap must be non-negative numbers");
        }

        var remaining = capacity;
        var weightLeft = order.Sum(i => claims[i].Weight);
        foreach (var i in order)
        {
            // Level if every claimant still in the pool took its weighted part of what remains.
            var level = remaining / weightLeft;
            var fair = level * claims[i].Weight;
            var given = Math.Min(claims[i].Cap, fair);
            result[i] = given;
            remaining = Math.Max(0, remaining - given);
            weightLeft -= claims[i].Weight;
        }
        return result;
    }
}
