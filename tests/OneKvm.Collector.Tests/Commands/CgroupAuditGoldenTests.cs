using Microsoft.Extensions.Time.Testing;
using OneKvm.Cgroups;
using OneKvm.Collector.Commands.Cgroups;
using OneKvm.Probes.Audit;
using OneKvm.Libvirt.Replay;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Commands;

/// <summary>
/// The audit over two recorded samples of a fixture host, 10 s apart on a fake clock: the tree is
/// read, then the files of <c>t1/</c> (the second sample's counters) are laid over it and it is read
/// again, as <c>cgroups</c> does <c>--window</c> apart. Golden table and JSON.
/// </summary>
public sealed class CgroupAuditGoldenTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private readonly string _temp = Directory.CreateTempSubdirectory("onekvm-audit-").FullName;

    public void Dispose() => Directory.Delete(_temp, true);

    public static TheoryData<string, string?, string?> Scenarios => new()
    {
        { "cgroup-v1-hybrid", null, null },
        { "cgroup-v2-cpu-on-hybrid", null, null },
        { "cgroup-v1-joined-systemd", "1048576", "10%" },
        { "cgroup-v2-systemd", "1.5%", "-400" },
        { "cgroup-v1-split-empty-v2", null, "50" },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task TwoSamples_MatchGolden(string scenario, string? reservedMem, string? reservedCpu)
    {
        var report = await Audit(scenario, new HostReservations(reservedCpu, reservedMem));
        GoldenFile.Check($"hosts/{scenario}/expected/audit.txt", CgroupTableRenderer.Render(report, null, CgroupTree.Build(report)));
        GoldenFile.Check($"hosts/{scenario}/expected/audit.json", CgroupJsonRenderer.Render(report, null));
    }

    [Fact]
    public async Task DriftedVm_TakesTheStarvedVmsTime()
    {
        // t1 of cgroup-v1-hybrid: one-82 (promised 1024, applied 2048, 1 vCPU) runs at its cap while
        // one-81 and legacy-db wait for CPU well under their entitlement.
        var report = await Audit("cgroup-v1-hybrid", new HostReservations(null, null));
        var audit = report.Audit!;
        audit.NonVmCores!.Value.ShouldBe(0.1, 1e-6);
        audit.CapacityCores.ShouldBe(1.9, 1e-6);
        var vms = report.Vms.ToDictionary(v => v.Domain);
        vms["one-82"].Verdict!.Noisy.ShouldBeTrue();
        vms["one-81"].Verdict!.Starved.ShouldBeTrue();
        vms["legacy-db"].Verdict!.Starved.ShouldBeTrue();
        vms["one-74"].Verdict!.Idle.ShouldBeTrue();
        vms["one-74"].Verdict!.Starved.ShouldBeFalse();
        audit.Transfers.ShouldAllBe(t => t.From == "one-82" && t.ByDrift);
        audit.Transfers.Select(t => t.To).ShouldBe(["one-81", "legacy-db"], ignoreOrder: true);
    }

    [Fact]
    public async Task CgroupVanishingBetweenReads_SkipsTheVmWithAWarning()
    {
        var report = await Audit("cgroup-v1-hybrid", new HostReservations(null, null), root =>
        {
            foreach (var tree in new[] { "cpu", "unified", "cpuset", "memory", "blkio", "freezer" })
            {
                var dir = Path.Join(root, "sys", "fs", "cgroup", tree, "machine", "qemu-2-one-74.libvirt-qemu");
                if (Directory.Exists(dir)) Directory.Delete(dir, true);
            }
        });
        var one74 = report.Vms.Single(v => v.Domain == "one-74");
        one74.Verdict.ShouldBeNull();
        one74.Vanished.ShouldBeTrue();
        report.Unreadable.ShouldBeFalse();
        report.Warnings.ShouldContain(w => w == "one-74 skipped: cgroup directory vanished since the previous read (domain stopping?)");
        report.Vms.Count(v => v.Verdict is not null).ShouldBe(4);
    }

    [Fact]
    public async Task CgroupMissingAtTheFirstRead_IsUnreadable_OthersAudited()
    {
        var root = Copy("cgroup-v1-hybrid");
        foreach (var tree in new[] { "cpu", "unified" })
            Directory.Delete(Path.Join(root, "sys", "fs", "cgroup", tree, "machine", "qemu-4-one-81.libvirt-qemu"), true);
        var report = await Audit(root, "cgroup-v1-hybrid", new HostReservations(null, null), null);
        var one81 = report.Vms.Single(v => v.Domain == "one-81");
        one81.Error.ShouldNotBeNull();
        one81.Error.ShouldContain("no cgroup directory found");
        report.Unreadable.ShouldBeTrue();
        report.Vms.Count(v => v.Verdict is not null).ShouldBe(4);
    }

    [Fact]
    public async Task CgroupVanishingDuringReads_NeverCrashes()
    {
        // A second thread removes and recreates one VM's directories while the audit reads them:
        // every read either sees the VM or reports it vanished/unreadable, and never throws.
        var root = Copy("cgroup-v1-hybrid");
        var dirs = new[] { "cpu", "unified" }.Select(t => Path.Join(root, "sys", "fs", "cgroup", t, "machine", "qemu-5-one-82.libvirt-qemu")).ToArray();
        var saved = Path.Join(_temp, "saved");
        for (var i = 0; i < dirs.Length; i++) CopyTree(dirs[i], Path.Join(saved, i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var stop = new CancellationTokenSource();
        var churn = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                for (var i = 0; i < dirs.Length; i++)
                {
                    try
                    {
                        Directory.Delete(dirs[i], true);
                        CopyTree(Path.Join(saved, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), dirs[i]);
                    }
                    catch (IOException)
                    {
                        // A reader holding a file open; try again.
                    }
                }
            }
        });
        var clock = new FakeTimeProvider(T0);
        var reader = Reader(root, clock);
        var outcomes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 150; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1)); // a new tick: every source is read anew
            var read = await reader.ReadAsync(CancellationToken.None);
            var vm = read.Vms.Single(v => v.Domain.Name == "one-82");
            outcomes.Add(vm.Sample is not null ? "read" : vm.Vanished ? "vanished" : "unreadable");
        }
        await stop.CancelAsync();
        await churn;
        outcomes.ShouldContain("read");
    }

    [Fact]
    public async Task VcpuCountChangedAtRunTime_RefetchesTheDefinition_OtherwiseItIsKept()
    {
        // setvcpus --live fires no libvirt event: the stats' vcpu.current differing from the cached XML is the sign.
        var root = Copy("cgroup-v1-hybrid");
        var recording = Path.Join(root, "libvirt.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(recording))!;
        var one74 = json["stats"]!.AsArray().Single(s => (string?)s!["stats"]!["name"] == "one-74")!;
        one74["stats"]!["vcpu"] = new System.Text.Json.Nodes.JsonObject { ["current"] = 7, ["maximum"] = 8, ["vcpus"] = new System.Text.Json.Nodes.JsonArray() };
        await File.WriteAllTextAsync(recording, json.ToJsonString());

        var time = new FakeTimeProvider(T0);
        var libvirt = ReplayLibvirtClient.FromFile(recording, time);
        var definitions = new OneKvm.Libvirt.Domain.DomainDefinitionCache(libvirt);
        var cgroups = Probes.Sampling.HostSampler.Create(libvirt, HostPaths.UnderRoot(root), definitions, time, TimeSpan.Zero).Cgroups;
        await cgroups.ReadAsync(CancellationToken.None);
        var afterFirst = definitions.Fetches;
        for (var i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromSeconds(10));
            await cgroups.ReadAsync(CancellationToken.None);
        }
        definitions.Fetches.ShouldBe(afterFirst + 3); // one-74 again on each read; the others kept
    }

    private async Task<CgroupReport> Audit(string scenario, HostReservations reservations, Action<string>? between = null) =>
        await Audit(Copy(scenario), scenario, reservations, between);

    private static async Task<CgroupReport> Audit(string root, string scenario, HostReservations reservations, Action<string>? between)
    {
        var time = new FakeTimeProvider(T0);
        var reader = Reader(root, time);
        var first = await reader.ReadAsync(CancellationToken.None);
        var overlay = Path.Join(TestPaths.Host(scenario), "t1");
        if (Directory.Exists(overlay)) CopyTree(overlay, root);
        between?.Invoke(root);
        time.Advance(TimeSpan.FromSeconds(10));
        var second = await reader.ReadAsync(CancellationToken.None);
        return CgroupReport.From(first, second, new ShareAuditSettings(), reservations);
    }

    /// <summary>The cgroup source of a host sample over the fixture tree and its recorded libvirt (every read anew).</summary>
    private static Probes.Sampling.SourceSampler<CgroupSnapshot> Reader(string root, TimeProvider time)
    {
        var libvirt = ReplayLibvirtClient.FromFile(Path.Join(root, "libvirt.json"), time);
        var paths = HostPaths.UnderRoot(root);
        return Probes.Sampling.HostSampler.Create(libvirt, paths, new OneKvm.Libvirt.Domain.DomainDefinitionCache(libvirt), time, TimeSpan.Zero).Cgroups;
    }

    private string Copy(string scenario)
    {
        var root = Path.Join(_temp, "host");
        CopyTree(TestPaths.Host(scenario), root, skip: ["t1", "expected"]);
        return root;
    }

    private static void CopyTree(string from, string to, string[]? skip = null)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Join(to, Path.GetFileName(file)), true);
        foreach (var dir in Directory.GetDirectories(from))
        {
            if (skip?.Contains(Path.GetFileName(dir)) == true) continue;
            CopyTree(dir, Path.Join(to, Path.GetFileName(dir)));
        }
    }
}
