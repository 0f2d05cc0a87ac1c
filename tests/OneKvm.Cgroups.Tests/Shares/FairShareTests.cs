using OneKvm.Cgroups.Shares;

namespace OneKvm.Cgroups.Tests.Shares;

public sealed class FairShareTests
{
    private const double Eps = 1e-9;

    [Theory]
    [InlineData(2.0, 1024, 1, 1.0)] // one VM, capped by its vCPU
    [InlineData(2.0, 1024, 4, 2.0)] // one VM, gets the whole capacity
    [InlineData(0.0, 1024, 4, 0.0)] // no capacity
    public void OneVm(double capacity, double weight, double cap, double expected) =>
        FairShare.Allocate(capacity, [new(weight, cap)])[0].ShouldBe(expected, Eps);

    [Fact]
    public void Proportional_WhenNoCapBinds()
    {
        // The guide's example: CPU=0.5 and CPU=1 → 512 : 1024 of 3 cores, 1 : 2.
        var e = FairShare.Allocate(3, [new(512, 4), new(1024, 4)]);
        e[0].ShouldBe(1, Eps);
        e[1].ShouldBe(2, Eps);
    }

    [Fact]
    public void CappedVm_LeavesItsRestToTheOthers()
    {
        // 4 cores, weights 2048/1024/1024: the first would get 2 but has 1 vCPU; 3 cores left split 1:1.
        var e = FairShare.Allocate(4, [new(2048, 1), new(1024, 4), new(1024, 4)]);
        e.ShouldBe([1, 1.5, 1.5], Eps);
    }

    [Fact]
    public void AllCapped_EachGetsItsCap()
    {
        var e = FairShare.Allocate(16, [new(1, 1), new(10000, 2), new(100, 3)]);
        e.ShouldBe([1, 2, 3], Eps);
    }

    [Fact]
    public void ZeroWeightOrCap_GetsNothing()
    {
        var e = FairShare.Allocate(2, [new(0, 2), new(100, 0), new(100, 2)]);
        e.ShouldBe([0, 0, 2], Eps);
    }

    [Fact]
    public void ExtremeWeights_CpuTinyAndHuge()
    {
        // CPU=0.001 (v1 2) against CPU=200 (v1 204800) on 2 cores, both 2 vCPUs.
        var e = FairShare.Allocate(2, [new(2, 2), new(204800, 2)]);
        e[1].ShouldBe(2 * 204800 / 204802.0, 1e-9);
        e[0].ShouldBe(2 * 2 / 204802.0, 1e-9);
    }

    /// <summary>Seeded random claims: Σ ≤ capacity, each ≤ cap, Σ = min(capacity, Σcaps), and max-min fairness.</summary>
    [Fact]
    public void Property_InvariantsHoldOnRandomClaims()
    {
        var random = new Random(20261125);
        for (var round = 0; round < 2000; round++)
        {
            var n = random.Next(1, 12);
            var claims = Enumerable.Range(0, n)
                .Select(_ => new FairShareClaim(random.Next(0, 4) == 0 ? random.Next(1, 3) : random.Next(1, 262145), random.Next(0, 9)))
                .ToList();
            var capacity = random.NextDouble() * 16;
            var e = FairShare.Allocate(capacity, claims);

            var capSum = claims.Sum(c => c.Weight > 0 ? c.Cap : 0);
            e.Sum().ShouldBeLessThanOrEqualTo(capacity + 1e-6);
            e.Sum().ShouldBe(Math.Min(capacity, capSum), 1e-6, $"round {round}: work-conserving");
            for (var i = 0; i < n; i++)
            {
                e[i].ShouldBeGreaterThanOrEqualTo(0);
                e[i].ShouldBeLessThanOrEqualTo(claims[i].Cap + 1e-9);
            }
            // Max-min fairness: every uncapped claimant sits at the same level λ = e/w, and no one
            // gets a higher level than λ (a capped one sits at or below it).
            var uncapped = Enumerable.Range(0, n).Where(i => claims[i].Weight > 0 && e[i] < claims[i].Cap - 1e-9).ToList();
            if (uncapped.Count == 0) continue;
            var level = e[uncapped[0]] / claims[uncapped[0]].Weight;
            foreach (var i in uncapped) (e[i] / claims[i].Weight).ShouldBe(level, Math.Max(1e-12, level * 1e-9), $"round {round}");
            for (var i = 0; i < n; i++)
            {
                if (claims[i].Weight > 0) (e[i] / claims[i].Weight).ShouldBeLessThanOrEqualTo(level * (1 + 1e-9) + 1e-15);
            }
        }
    }

    [Fact]
    public void NegativeCapacity_IsRejected() =>
        Should.Throw<ArgumentOutOfRangeException>(() => FairShare.Allocate(-1, [new(1, 1)]));
}
