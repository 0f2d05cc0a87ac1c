using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using OneKvm.Libvirt.Domain;
using OneKvm.Tests;

namespace OneKvm.Libvirt.Tests.RealHost;

/// <summary>
/// Run-time changes of a real running domain that no lifecycle event reports: a CPU-shares change
/// (<c>virsh schedinfo --live</c>) and a live disk attach and detach arrive as tunable and device
/// events, and the <see cref="DomainDefinitionCache"/> then fetches the changed XML.
/// <para>
/// The cache subscribes to the client's events before the test does, and the client calls its
/// subscribers in that order on one thread: once the test sees an event, the cache has already
/// dropped the domain. The detach uses a USB disk: QEMU unplugs it at once, where a virtio disk
/// or NIC waits for a guest (none boots here) to acknowledge, and libvirt reports no removal.
/// </para>
/// </summary>
[Trait(TestTraits.Category, TestTraits.RealHost)]
[Collection(LibvirtGroup.Name)]
public sealed class DomainChangeEventsRealHostTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task CpuSharesSetLive_TunableEventCarriesThem_CacheReturnsTheNewShares()
    {
        await using var watch = await Watched.StartAsync(new TestDomainSpec { Name = "one-8020", Shares = 512 });
        var (cache, domain) = (watch.Cache, watch.Domain);

        (await cache.GetAsync(domain.Uuid, default)).CpuTune.ShouldNotBeNull().Shares.ShouldBe(512UL);
        var fetches = cache.Fetches;
        (await cache.GetAsync(domain.Uuid, default)).CpuTune!.Shares.ShouldBe(512UL);
        cache.Fetches.ShouldBe(fetches); // held: without an event it would stay 512

        // 777 is a valid value on cgroup v1 (cpu.shares) and v2 (cpu.weight, 1-10000), kept as set.
        var set = TestDomain.Virsh("schedinfo", domain.Name, "--live", "--set", "cpu_shares=777");
        set.ExitCode.ShouldBe(0, set.Stderr);
        var e = await watch.Arrives(DomainEventKind.TunableChanged);
        e.Name.ShouldBe("one-8020");
        e.TunableUInt64("cputune.cpu_shares").ShouldBe(777UL);
        e.DeviceAlias.ShouldBeNull();

        var after = await cache.GetAsync(domain.Uuid, default);
        cache.Fetches.ShouldBe(fetches + 1);
        after.CpuTune.ShouldNotBeNull().Shares.ShouldBe(777UL);
        DomainDefinition.Parse(TestDomain.Virsh("dumpxml", domain.Name).Stdout, domain.Name).CpuTune!.Shares.ShouldBe(777UL);
    }

    [Fact]
    public async Task DiskAttachedAndDetachedLive_DeviceEventsWithTheAlias_CacheListsTheDisksAsTheyAre()
    {
        await using var watch = await Watched.StartAsync(new TestDomainSpec { Name = "one-8021" });
        var (cache, domain) = (watch.Cache, watch.Domain);
        (await cache.GetAsync(domain.Uuid, default)).Disks.ShouldBeEmpty();
        var image = RawImage("one-8021");

        var attach = TestDomain.Virsh("attach-disk", domain.Name, image, "sdb", "--targetbus", "usb", "--live", "--driver", "qemu", "--subdriver", "raw");
        attach.ExitCode.ShouldBe(0, attach.Stderr);
        var added = await watch.Arrives(DomainEventKind.DeviceAdded);
        added.DeviceAlias.ShouldBe("usb-disk1");
        added.Tunables.ShouldBeNull();
        var disk = (await cache.GetAsync(domain.Uuid, default)).Disks.ShouldHaveSingleItem();
        disk.TargetDev.ShouldBe("sdb");
        disk.SourcePath.ShouldBe(image);
        cache.Fetches.ShouldBe(2);

        var detach = TestDomain.Virsh("detach-disk", domain.Name, "sdb", "--live");
        detach.ExitCode.ShouldBe(0, detach.Stderr);
        var removed = await watch.Arrives(DomainEventKind.DeviceRemoved);
        removed.DeviceAlias.ShouldBe("usb-disk1");
        (await cache.GetAsync(domain.Uuid, default)).Disks.ShouldBeEmpty();
        cache.Fetches.ShouldBe(3);
    }

    /// <summary>
    /// A client with a definition cache subscribed first, the events the test sees after it, and a
    /// started domain (its STARTED event seen: the callbacks are registered).
    /// </summary>
    private sealed class Watched : IAsyncDisposable
    {
        private readonly NativeLibvirtClient _client = new(new LibvirtClientOptions { Uri = TestDomain.Uri });
        private readonly ConcurrentQueue<DomainEvent> _seen = new();
        private readonly IDisposable _subscription;

        private Watched()
        {
            Cache = new DomainDefinitionCache(_client);
            _subscription = _client.Events.Subscribe(_seen.Enqueue);
        }

        public DomainDefinitionCache Cache { get; }

        public TestDomain Domain { get; private set; } = null!;

        public static async Task<Watched> StartAsync(TestDomainSpec spec)
        {
            var watch = new Watched();
            try
            {
                await watch._client.ListDomainsAsync(false, default); // opens the connection: callbacks registered
                watch.Domain = TestDomain.Start(spec);
                await watch.Arrives(DomainEventKind.Started);
                return watch;
            }
            catch
            {
                await watch.DisposeAsync();
                throw;
            }
        }

        /// <summary>The first event of <paramref name="kind"/> for the domain, waited for at most <see cref="Wait"/>.</summary>
        public Task<DomainEvent> Arrives(DomainEventKind kind) =>
            Eventually.Arrives(_seen, e => e.Uuid == Domain.Uuid && e.Kind == kind, Wait, kind.ToString());

        public async ValueTask DisposeAsync()
        {
            Domain?.Dispose();
            _subscription.Dispose();
            Cache.Dispose();
            await _client.DisposeAsync();
        }
    }

    /// <summary>A 1 MiB raw image beside the test domains' disks (named for the domain, so its removal deletes it).</summary>
    private static string RawImage(string domain)
    {
        var path = Path.Join("/var/lib/libvirt/images/onekvm-tests", $"{domain}-hotplug.img");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var psi = new ProcessStartInfo("qemu-img") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "create", "-q", "-f", "raw", path, "1M" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        p.ExitCode.ShouldBe(0, string.Create(CultureInfo.InvariantCulture, $"qemu-img create {path}: {stderr}"));
        return path;
    }
}
