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
        await using var client = new NativeLibvirtClient(new LibvirtClientOptions { Uri = TestDomain.Uri });
        using var cache = new DomainDefinitionCache(client);
        var seen = new ConcurrentQueue<DomainEvent>();
        using var subscription = client.Events.Subscribe(seen.Enqueue);
        await client.ListDomainsAsync(false, default); // opens the connection: callbacks registered
        using var domain = TestDomain.Start(new TestDomainSpec { Name = "one-8020", Shares = 512 });
        await Eventually.Arrives(seen, e => e.Uuid == domain.Uuid && e.Kind == DomainEventKind.Started, Wait, "STARTED");

        (await cache.GetAsync(domain.Uuid, default)).CpuTune.ShouldNotBeNull().Shares.ShouldBe(512UL);
        var fetches = cache.Fetches;
        (await cache.GetAsync(domain.Uuid, default)).CpuTune!.Shares.ShouldBe(512UL);
        cache.Fetches.ShouldBe(fetches); // held: without an event it would stay 512

        // 777 is a valid value on cgroup v1 (cpu.shares) and v2 (cpu.weight, 1-10000), kept as set.
        var set = TestDomain.Virsh("schedinfo", domain.Name, "--live", "--set", "cpu_shares=777");
        set.ExitCode.ShouldBe(0, set.Stderr);
        var e = await Eventually.Arrives(seen, e => e.Uuid == domain.Uuid && e.Kind == DomainEventKind.TunableChanged, Wait, "TUNABLE");
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
        await using var client = new NativeLibvirtClient(new LibvirtClientOptions { Uri = TestDomain.Uri });
        using var cache = new DomainDefinitionCache(client);
        var seen = new ConcurrentQueue<DomainEvent>();
        using var subscription = client.Events.Subscribe(seen.Enqueue);
        await client.ListDomainsAsync(false, default); // opens the connection: callbacks registered
        using var domain = TestDomain.Start(new TestDomainSpec { Name = "one-8021" });
        await Eventually.Arrives(seen, e => e.Uuid == domain.Uuid && e.Kind == DomainEventKind.Started, Wait, "STARTED");
        (await cache.GetAsync(domain.Uuid, default)).Disks.ShouldBeEmpty();
        var image = RawImage("one-8021");

        var attach = TestDomain.Virsh("attach-disk", domain.Name, image, "sdb", "--targetbus", "usb", "--live", "--driver", "qemu", "--subdriver", "raw");
        attach.ExitCode.ShouldBe(0, attach.Stderr);
        var added = await Eventually.Arrives(seen, e => e.Uuid == domain.Uuid && e.Kind == DomainEventKind.DeviceAdded, Wait, "DEVICE_ADDED");
        added.DeviceAlias.ShouldBe("usb-disk1");
        added.Tunables.ShouldBeNull();
        var disk = (await cache.GetAsync(domain.Uuid, default)).Disks.ShouldHaveSingleItem();
        disk.TargetDev.ShouldBe("sdb");
        disk.SourcePath.ShouldBe(image);
        cache.Fetches.ShouldBe(2);

        var detach = TestDomain.Virsh("detach-disk", domain.Name, "sdb", "--live");
        detach.ExitCode.ShouldBe(0, detach.Stderr);
        var removed = await Eventually.Arrives(seen, e => e.Uuid == domain.Uuid && e.Kind == DomainEventKind.DeviceRemoved, Wait, "DEVICE_REMOVED");
        removed.DeviceAlias.ShouldBe("usb-disk1");
        (await cache.GetAsync(domain.Uuid, default)).Disks.ShouldBeEmpty();
        cache.Fetches.ShouldBe(3);
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
