using System.Collections.Concurrent;
using System.Diagnostics;
using OneKvm.Collector.Sharing;
using OneKvm.Libvirt;
using OneKvm.Libvirt.Replay;
using OneKvm.Probes.Sampling;

namespace OneKvm.Collector.Tests.Sharing;

/// <summary>The daemon socket's <c>events</c> stream carries device and tunable events with what they say.</summary>
public sealed class SocketEventStreamTests : IDisposable
{
    private const string Uuid = "c5f37dda-a65f-4be1-9e15-93bf111d69a1";
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-sock-events-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Events_DeviceAndTunable_ReachTheSocketClient()
    {
        var path = Path.Join(_dir, "run", "sampler.sock");
        await using var libvirt = new ReplayLibvirtClient(new LibvirtRecording());
        using var domains = new DomainSampler(libvirt, TimeProvider.System);
        await using var server = new SamplerSocketServer(path, libvirt, domains, TextWriter.Null);
        server.Start();
        var client = new SocketLibvirtClient(path, libvirt.Uri, TimeSpan.FromSeconds(5));
        var seen = new ConcurrentQueue<DomainEvent>();
        using var subscription = client.Events.Subscribe(seen.Enqueue);
        var tunable = new DomainEvent(DateTimeOffset.UnixEpoch, Uuid, "one-7", 3, DomainEventKind.TunableChanged, 0)
        {
            Tunables = new Dictionary<string, string> { ["cputune.cpu_shares"] = "2048" },
        };
        var added = new DomainEvent(DateTimeOffset.UnixEpoch, Uuid, "one-7", 3, DomainEventKind.DeviceAdded, 0) { DeviceAlias = "virtio-disk1" };

        // The client's stream connects in the background: emit until the server's subscriber relays (bounded).
        var clock = Stopwatch.StartNew();
        while (seen.IsEmpty && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            libvirt.Emit(tunable);
            libvirt.Emit(added);
            await Task.Delay(50);
        }
        while (seen.Count < 2 && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20);

        var first = seen.FirstOrDefault(e => e.Kind == DomainEventKind.TunableChanged).ShouldNotBeNull();
        first.TunableUInt64("cputune.cpu_shares").ShouldBe(2048UL);
        first.DeviceAlias.ShouldBeNull();
        var device = seen.FirstOrDefault(e => e.Kind == DomainEventKind.DeviceAdded).ShouldNotBeNull();
        device.DeviceAlias.ShouldBe("virtio-disk1");
        device.Tunables.ShouldBeNull();
        device.Uuid.ShouldBe(Uuid);
        device.Name.ShouldBe("one-7");
    }
}
