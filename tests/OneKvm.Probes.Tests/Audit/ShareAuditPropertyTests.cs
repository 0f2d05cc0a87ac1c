using OneKvm.Cgroups.Layout;
using OneKvm.Probes.Audit;

namespace OneKvm.Probes.Tests.Audit;

/// <summary>
/// Properties of the demand-aware water-filling through <see cref="ShareAudit.Audit"/>, each over
/// many generated hosts (seeded <see cref="Random"/>; one seed per theory row, so a failure names
/// its case and replays).
/// </summary>
public sealed class ShareAuditPropertyTests
{
    private const int CasesPerSeed = 300;
    private const double Eps = 1e-9;
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly ShareAuditSettings Settings = new();

    public static TheoryData<int> Seeds => [1, 2, 3, 42, 4711, 20261125];

    /// <summary>A generated VM: CPU attribute, vCPUs, use over a 5 s window, and whether it was pressed for CPU.</summary>
    private sealed record Gen(float Cpu, int Vcpus, double UsedCores, bool Pressed);

    private static List<Gen> Generate(Random random)
    {
        var n = random.Next(1, 10);
        return Enumerable.Range(0, n).Select(_ =>
        {
            var vcpus = random.Next(1, 5);
            var cpu = (float)Math.Round(0.05 + (random.NextDouble() * 4), 2);
            var used = random.Next(0, 4) == 0 ? 0 : random.NextDouble() * vcpus;
            return new Gen(cpu, vcpus, used, random.Next(0, 2) == 0);
        }).ToList();
    }

    private static ShareAuditResult Run(IReadOnlyList<Gen> vms, double hostCpus, CgroupVersion version = CgroupVersion.V1)
    {
        const double window = 5;
        VmShareSample Vm(int i, Gen g, ulong usage, ulong stall) => new()
        {
            Key = "k" + i,
            Domain = "one-" + i,
            VmId = i,
            Vcpus = g.Vcpus,
            Cpu = g.Cpu,
            SharesVersion = version,
            AppliedShares = 1024,
            CpuUsageNanoseconds = usage,
            ThrottledPeriods = 0,
            PressureSomeMicroseconds = stall,
        };
        var first = new ShareAuditSample
        {
            Timestamp = T0,
            HostCpus = hostCpus,
            Vms = vms.Select((g, i) => Vm(i, g, 1_000_000_000, 500)).ToList(),
        };
        var second = first with
        {
            Timestamp = T0.AddSeconds(window),
            Vms = vms.Select((g, i) => Vm(i, g,
                1_000_000_000 + (ulong)Math.Round(g.UsedCores * window * 1e9),
                500 + (g.Pressed ? (ulong)(0.5 * window * 1e6) : 0))).ToList(),
        };
        return ShareAudit.Audit(first, second, Settings);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Entitlements_FitTheCapacity_AndNeverExceedVcpusOrDemand(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < CasesPerSeed; round++)
        {
            var vms = Generate(random);
            var result = Run(vms, random.Next(1, 17));
            result.Vms.Sum(v => v.EntitledCores).ShouldBeLessThanOrEqualTo(result.CapacityCores + 1e-6, $"seed {seed} round {round}");
            foreach (var v in result.Vms)
            {
                v.EntitledCores.ShouldBeGreaterThanOrEqualTo(0);
                v.EntitledCores.ShouldBeLessThanOrEqualTo(v.Vcpus + Eps, $"seed {seed} round {round} {v.Domain}");
                v.EntitledCores.ShouldBeLessThanOrEqualTo(v.DemandCores + Eps, $"seed {seed} round {round} {v.Domain}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Entitlement_IsWorkConserving(int seed)
    {
        // What the VMs could take, up to the capacity, is handed out in full.
        var random = new Random(seed);
        for (var round = 0; round < CasesPerSeed; round++)
        {
            var result = Run(Generate(random), random.Next(1, 17));
            var wanted = result.Vms.Sum(v => Math.Min(v.Vcpus, v.DemandCores));
            result.Vms.Sum(v => v.EntitledCores).ShouldBe(Math.Min(result.CapacityCores, wanted), 1e-6, $"seed {seed} round {round}");
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Entitlement_IsMonotoneInThePromisedShare(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < CasesPerSeed; round++)
        {
            var vms = Generate(random);
            var host = random.Next(1, 17);
            var i = random.Next(vms.Count);
            var before = Run(vms, host).Vms.Single(v => v.Key == "k" + i).EntitledCores;
            var raised = vms.Select((g, j) => j == i ? g with { Cpu = g.Cpu * (1 + (float)random.NextDouble() * 3) } : g).ToList();
            var after = Run(raised, host).Vms.Single(v => v.Key == "k" + i).EntitledCores;
            after.ShouldBeGreaterThanOrEqualTo(before - 1e-9, $"seed {seed} round {round}: VM {i} promised more, got less");
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void IdleVm_ReleasesItsShare_AndIsNeverFlagged(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < CasesPerSeed; round++)
        {
            var vms = Generate(random);
            var host = random.Next(1, 17);
            var i = random.Next(vms.Count);
            var busy = vms.Select((g, j) => j == i ? g with { UsedCores = g.Vcpus, Pressed = true } : g).ToList();
            var idle = vms.Select((g, j) => j == i ? g with { UsedCores = 0, Pressed = random.Next(2) == 0 } : g).ToList();
            var withBusy = Run(busy, host);
            var withIdle = Run(idle, host);
            var idleVm = withIdle.Vms.Single(v => v.Key == "k" + i);
            idleVm.Idle.ShouldBeTrue();
            idleVm.EntitledCores.ShouldBe(0, Eps);
            idleVm.Starved.ShouldBeFalse();
            idleVm.Noisy.ShouldBeFalse();
            // Everyone else is entitled to at least as much as when the VM was busy.
            foreach (var other in withIdle.Vms.Where(v => v.Key != "k" + i))
            {
                other.EntitledCores.ShouldBeGreaterThanOrEqualTo(
                    withBusy.Vms.Single(v => v.Key == other.Key).EntitledCores - 1e-9, $"seed {seed} round {round} {other.Domain}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void EqualPromiseAndDemand_GiveEqualEntitlements(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < CasesPerSeed; round++)
        {
            var vms = Generate(random);
            var twin = vms[random.Next(vms.Count)];
            vms.Add(twin);
            var result = Run(vms, random.Next(1, 17), random.Next(2) == 0 ? CgroupVersion.V1 : CgroupVersion.V2);
            var a = result.Vms.Single(v => v.Key == "k" + vms.IndexOf(twin));
            var b = result.Vms.Single(v => v.Key == "k" + (vms.Count - 1));
            a.EntitledCores.ShouldBe(b.EntitledCores, 1e-9, $"seed {seed} round {round}");
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Flags_AreConsistent(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < CasesPerSeed; round++)
        {
            var result = Run(Generate(random), random.Next(1, 17));
            foreach (var v in result.Vms)
            {
                (v.Starved && v.Noisy).ShouldBeFalse();
                if (v.Starved)
                {
                    v.Wanted.ShouldNotBe(DemandSignals.None);
                    v.UsedCores.ShouldBeLessThan(v.EntitledCores);
                }
                if (v.Noisy)
                {
                    result.Vms.ShouldContain(o => o.Starved);
                    v.UsedCores.ShouldBeGreaterThan(v.EntitledCores);
                }
                if (v.Idle) (v.Starved || v.Noisy).ShouldBeFalse();
            }
            // Transfers hand out exactly the starved VMs' shortfall.
            var shortfall = result.Vms.Where(v => v.Starved && result.Vms.Any(o => o.Noisy)).Sum(v => v.EntitledCores - v.UsedCores);
            result.Transfers.Sum(t => t.Cores).ShouldBe(shortfall, 1e-6);
        }
    }
}
