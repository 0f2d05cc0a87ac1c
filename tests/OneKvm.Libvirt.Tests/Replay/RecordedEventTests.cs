using System.Text.Json;
using OneKvm.Libvirt.Replay;

namespace OneKvm.Libvirt.Tests.Replay;

/// <summary>Device and tunable events through the recording's JSON (replay files and the daemon socket's event stream).</summary>
public sealed class RecordedEventTests
{
    private const string Uuid = "c5f37dda-a65f-4be1-9e15-93bf111d69a1";

    [Fact]
    public void Json_DeviceAndTunableEvents_RoundTrip()
    {
        var tunable = new DomainEvent(DateTimeOffset.UnixEpoch, Uuid, "one-7", 3, DomainEventKind.TunableChanged, 0)
        {
            Tunables = new Dictionary<string, string> { ["cputune.cpu_shares"] = "2048", ["cputune.vcpu_quota"] = "-1" },
        };
        var added = new DomainEvent(DateTimeOffset.UnixEpoch, Uuid, "one-7", 3, DomainEventKind.DeviceAdded, 0) { DeviceAlias = "virtio-disk1" };
        var started = new DomainEvent(DateTimeOffset.UnixEpoch, Uuid, "one-7", 3, DomainEventKind.Started, 0);

        var json = JsonSerializer.Serialize(new LibvirtRecording { Events = [RecordedEvent.From(tunable), RecordedEvent.From(added), RecordedEvent.From(started)] },
            LibvirtRecordingJson.Default.LibvirtRecording);
        var back = JsonSerializer.Deserialize(json, LibvirtRecordingJson.Default.LibvirtRecording)!.Events!
            .Select(e => e.ToEvent(DateTimeOffset.UnixEpoch)).ToList();

        json.ShouldContain("\"kind\": \"TunableChanged\"");
        json.ShouldContain("\"cputune.cpu_shares\": \"2048\"");
        json.ShouldContain("\"deviceAlias\": \"virtio-disk1\"");
        back[0].Kind.ShouldBe(DomainEventKind.TunableChanged);
        back[0].TunableUInt64("cputune.cpu_shares").ShouldBe(2048UL);
        back[0].TunableUInt64("cputune.vcpu_quota").ShouldBeNull(); // negative: not an unsigned number
        back[0].Tunables!["cputune.vcpu_quota"].ShouldBe("-1");
        back[1].ShouldBe(added with { Tunables = null });
        back[1].DeviceAlias.ShouldBe("virtio-disk1");
        back[2].ShouldBe(started);
        back[2].DeviceAlias.ShouldBeNull();
        back[2].Tunables.ShouldBeNull();
    }

    [Fact]
    public void Json_HandWrittenReplayFile_DeviceRemoved()
    {
        const string json = """
            { "events": [ { "afterMilliseconds": 5, "uuid": "c5f37dda-a65f-4be1-9e15-93bf111d69a1", "name": "one-7", "id": 3,
                            "kind": "DeviceRemoved", "detail": 0, "deviceAlias": "net1" } ] }
            """;
        var e = JsonSerializer.Deserialize(json, LibvirtRecordingJson.Default.LibvirtRecording)!.Events!.ShouldHaveSingleItem();
        e.AfterMilliseconds.ShouldBe(5);
        e.ToEvent(DateTimeOffset.UnixEpoch).ShouldBe(new DomainEvent(DateTimeOffset.UnixEpoch, Uuid, "one-7", 3, DomainEventKind.DeviceRemoved, 0) { DeviceAlias = "net1" });
    }
}
