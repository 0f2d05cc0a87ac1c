using System.Collections.Concurrent;
using OneKvm.Tests;

namespace OneKvm.Libvirt.Tests;

/// <summary>Lifecycle and metadata events of a real domain reach <see cref="NativeLibvirtClient.Events"/>.</summary>
[Collection(LibvirtGroup.Name)]
[Trait(TestTraits.Category, TestTraits.RealHost)]
public sealed class NativeClientEventTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Events_SuspendResumeMetadataDestroy_ArriveInOrder()
    {
        await using var client = new NativeLibvirtClient(new LibvirtClientOptions { Uri = TestDomain.Uri });
        var seen = new ConcurrentQueue<DomainEvent>();
        using var subscription = client.Events.Subscribe(seen.Enqueue);
        await client.ListDomainsAsync(false, CancellationToken.None);

        using var domain = TestDomain.Start(new TestDomainSpec { Name = "one-8002" });
        bool Mine(DomainEvent e) => e.Uuid == domain.Uuid;
        var started = await Eventually.Arrives(seen, e => Mine(e) && e.Kind == DomainEventKind.Started, Wait, "STARTED");
        started.Name.ShouldBe("one-8002");
        started.Id.ShouldNotBeNull();

        domain.Suspend();
        (await Eventually.Arrives(seen, e => Mine(e) && e.Kind == DomainEventKind.Suspended, Wait, "SUSPENDED")).Detail.ShouldBe(0);
        domain.Resume();
        await Eventually.Arrives(seen, e => Mine(e) && e.Kind == DomainEventKind.Resumed, Wait, "RESUMED");
        TestDomain.Virsh("metadata", domain.Name, "--uri", "http://onekvm.test/x", "--key", "x", "--set", "<x>1</x>", "--live")
            .ExitCode.ShouldBe(0);
        (await Eventually.Arrives(seen, e => Mine(e) && e.Kind == DomainEventKind.MetadataChanged, Wait, "METADATA_CHANGE")).Detail.ShouldBe(2);
        domain.Destroy();
        // VIR_DOMAIN_EVENT_STOPPED_DESTROYED = 1
        (await Eventually.Arrives(seen, e => Mine(e) && e.Kind == DomainEventKind.Stopped, Wait, "STOPPED")).Detail.ShouldBe(1);

        // From STARTED on (libvirt 9 sends RESUMED just before it: QEMU starts paused, then runs), the
        // events the test caused in order; SHUTDOWN (QEMU's own, on destroy) may precede STOPPED.
        var order = seen.Where(Mine).Select(e => e.Kind).SkipWhile(k => k != DomainEventKind.Started)
            .Where(k => k is not (DomainEventKind.Defined or DomainEventKind.Shutdown)).ToList();
        order.ShouldBe([DomainEventKind.Started, DomainEventKind.Suspended, DomainEventKind.Resumed, DomainEventKind.MetadataChanged, DomainEventKind.Stopped]);
    }
}
