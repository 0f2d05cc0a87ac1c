using System.Reactive.Concurrency;
using System.Threading.Channels;
using OneKvm.Collector.Agent;
using OneKvm.Collector.Commands;
using OneKvm.Collector.Configuration;
using OneKvm.Collector.Tests.Support;
using OneKvm.Libvirt;
using OneKvm.Libvirt.Replay;
using OneKvm.Libvirt.Stats;
using OneKvm.Probes;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Agent;

/// <summary>The agent's STATE_VM on libvirt lifecycle events, over a replayed libvirt.</summary>
public sealed class StateVmEventTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("onekvm-events-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    private sealed class ChannelLink : IMonitordLink
    {
        public Channel<OutgoingMessage> Sent { get; } = Channel.CreateUnbounded<OutgoingMessage>();

        public Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken) => Sent.Writer.WriteAsync(message, cancellationToken).AsTask();
    }

    [Fact]
    public async Task LifecycleEvent_SendsStateVmBeforeThePeriodicTick()
    {
        var recorded = ReplayLibvirtClient.Load(Path.Join(TestPaths.Host("kvm-three-domains"), "libvirt.json"));
        await using var libvirt = new ReplayLibvirtClient(recorded);
        var options = new OneKvmOptions { Probes = new ProbeSettings { StateDirectory = _state, HostId = 3 } };
        var context = ContextFactory.Create(options, libvirt, TimeSpan.FromHours(1));
        var link = new ChannelLink();
        // STATE_VM every hour: after the first run, only an event can make another.
        var periods = ProbePeriods.Fallback with { StateVm = 3600 };
        var runner = new AgentRunner(TaskPoolScheduler.Default, TimeProvider.System, context, new MessageComposer(3, null), link, TextWriter.Null);
        using var stop = new CancellationTokenSource();
        var state = CategoryCatalog.All.Where(c => c.Name == "state_vm").ToList();
        var running = runner.RunAsync(state, periods, _ => TimeSpan.Zero, null, stop.Token);

        var first = await NextAsync(link);
        first.Text.ShouldStartWith("SYNC_STATE=yes\n");
        first.Text.ShouldContain("DEPLOY_ID=\"763b300d-5f20-4390-b4dd-09aefcc95062\",  STATE=\"RUNNING\"");

        const string uuid = "763b300d-5f20-4390-b4dd-09aefcc95062";
        libvirt.Replace(recorded with
        {
            Stats = [.. recorded.Stats!.Select(s => s.Uuid == uuid ? s with { Stats = s.Stats with { State = new DomainStateStat(3, 1) } } : s)],
        });
        libvirt.Emit(new DomainEvent(DateTimeOffset.UnixEpoch, uuid, "one-9390", 46, DomainEventKind.Suspended, 0));

        var changed = await NextAsync(link);
        changed.Type.ShouldBe("STATE_VM");
        changed.Status.ShouldBe("SUCCESS");
        changed.Text.ShouldBe($"VM = [ ID=\"9390\", DEPLOY_ID=\"{uuid}\",  STATE=\"SUSPENDED\" ]\n");

        await stop.CancelAsync();
        await running;
    }

    private static async Task<DecodedMessage> NextAsync(ChannelLink link)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var message = await link.Sent.Reader.ReadAsync(limit.Token);
        return MonitordDecoder.Decode(message.Frame, "udp", null);
    }
}
