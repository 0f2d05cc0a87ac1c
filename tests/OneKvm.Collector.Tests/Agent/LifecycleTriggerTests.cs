using System.Reactive.Concurrency;
using System.Reactive.Subjects;
using OneKvm.Collector.Agent;
using OneKvm.Libvirt;

namespace OneKvm.Collector.Tests.Agent;

/// <summary>STATE_VM runs on lifecycle events only: metadata, device and tunable changes leave the VM's state as it was.</summary>
public sealed class LifecycleTriggerTests
{
    [Fact]
    public void LifecycleTrigger_OnlyLifecycleKindsTrigger()
    {
        var scheduler = new HistoricalScheduler();
        var events = new Subject<DomainEvent>();
        var triggers = 0;
        using var subscription = AgentRunner.LifecycleTrigger(events, scheduler).Subscribe(_ => triggers++);

        foreach (var kind in new[] { DomainEventKind.MetadataChanged, DomainEventKind.DeviceAdded, DomainEventKind.DeviceRemoved,
                     DomainEventKind.DeviceRemovalFailed, DomainEventKind.TunableChanged })
        {
            events.OnNext(new DomainEvent(DateTimeOffset.UnixEpoch, "u", "one-1", 1, kind, 0));
        }
        scheduler.AdvanceBy(AgentRunner.EventRetry * 2);
        triggers.ShouldBe(0);

        events.OnNext(new DomainEvent(DateTimeOffset.UnixEpoch, "u", "one-1", 1, DomainEventKind.Suspended, 0));
        triggers.ShouldBe(1); // at once
        scheduler.AdvanceBy(AgentRunner.EventRetry * 2);
        triggers.ShouldBe(2); // and once more after the burst
    }
}
