using System.Collections.Concurrent;
using System.Diagnostics;
using OneKvm.Tests;

namespace OneKvm.Libvirt.Tests;

/// <summary>libvirtd killed, restarted and stopped with SIGSTOP under one client (libvirtd always restarted / continued in a finally).</summary>
[Collection(LibvirtGroup.Name)]
[Trait(TestTraits.Category, TestTraits.RealHost)]
public sealed class NativeClientOutageTests
{
    [Fact]
    public async Task DaemonKilledAndRestarted_LossReported_CallsFailUnreachable_ThenRecoverWithTheSameClient()
    {
        await using var client = new NativeLibvirtClient(new LibvirtClientOptions
        {
            Uri = TestDomain.Uri,
            CallTimeout = TimeSpan.FromSeconds(5),
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(500),
            ReconnectMaxDelay = TimeSpan.FromSeconds(2),
        });
        var changes = new ConcurrentQueue<ConnectionChange>();
        var events = new ConcurrentQueue<DomainEvent>();
        using var c1 = client.ConnectionChanges.Subscribe(changes.Enqueue);
        using var c2 = client.Events.Subscribe(events.Enqueue);
        await client.ListDomainsAsync(false, CancellationToken.None);
        await Eventually.Arrives(changes, c => c.Connected, TimeSpan.FromSeconds(5), "the first connection");

        try
        {
            LibvirtDaemon.Stop();
            var lost = await Eventually.Arrives(changes, c => !c.Connected, TimeSpan.FromSeconds(10), "the loss");
            lost.Uri.ShouldBe(TestDomain.Uri);
            lost.Reason.ShouldNotBeNullOrEmpty();
            var e = await Should.ThrowAsync<LibvirtException>(() => client.ListDomainsAsync(false, CancellationToken.None));
            e.Unreachable.ShouldBeTrue();
            e.Message.ShouldStartWith($"libvirt virConnectListAllDomains on {TestDomain.Uri}: ");
            e.Uri.ShouldBe(TestDomain.Uri);
        }
        finally
        {
            LibvirtDaemon.Start();
        }

        await Eventually.Succeeds(() => client.ListDomainsAsync(false, CancellationToken.None), TimeSpan.FromSeconds(60));
        changes.Count(c => c.Connected).ShouldBeGreaterThanOrEqualTo(2);
        (await client.GetVersionAsync(CancellationToken.None)).Daemon.Major.ShouldBeGreaterThan(0);

        // Events are registered again on the new connection.
        using var domain = TestDomain.Start(new TestDomainSpec { Name = "one-8010" });
        await Eventually.Arrives(events, ev => ev.Uuid == domain.Uuid && ev.Kind == DomainEventKind.Started, TimeSpan.FromSeconds(15), "STARTED after reconnection");
    }

    [Fact]
    public async Task DaemonStopped_CallMissesItsDeadline_AndTheNextCallIsNotBlockedBehindIt()
    {
        var timeout = TimeSpan.FromSeconds(2);
        var bound = timeout + TimeSpan.FromSeconds(3);
        await using var client = StopTestClient(timeout);
        await client.ListDomainsAsync(false, CancellationToken.None);
        var pid = LibvirtDaemon.Pause();
        try
        {
            var clock = Stopwatch.StartNew();
            var first = await Should.ThrowAsync<LibvirtException>(() => client.GetAllDomainStatsAsync(DomainStatsGroups.State, CancellationToken.None));
            clock.Elapsed.ShouldBeLessThan(bound);
            first.TimedOut.ShouldBeTrue();
            first.Message.ShouldBe($"libvirt virConnectGetAllDomainStats on {TestDomain.Uri}: no answer within 2 s; call abandoned");

            clock.Restart();
            var second = await Should.ThrowAsync<LibvirtException>(() => client.ListDomainsAsync(false, CancellationToken.None));
            clock.Elapsed.ShouldBeLessThan(bound);
            second.Message.ShouldStartWith($"libvirt virConnectListAllDomains on {TestDomain.Uri}: ");
            second.Unreachable.ShouldBeTrue();

            // Further calls while it stays stopped still return within their deadline, never piling up threads without bound.
            for (var i = 0; i < 6; i++)
            {
                clock.Restart();
                await Should.ThrowAsync<LibvirtException>(() => client.GetVersionAsync(CancellationToken.None));
                clock.Elapsed.ShouldBeLessThan(bound);
                client.StuckCalls.ShouldBeLessThanOrEqualTo(NativeLibvirtClient.MaxStuckCalls);
            }
        }
        finally
        {
            LibvirtDaemon.Continue(pid);
            LibvirtDaemon.WaitHealthy(TimeSpan.FromSeconds(60));
        }
        await WorksAgainAsync(client);
    }

    [Fact]
    public async Task DaemonStopped_ConcurrentCallsOnOneConnection_AllMissTheirDeadline_ThenTheClientRecovers()
    {
        var timeout = TimeSpan.FromSeconds(2);
        await using var client = StopTestClient(timeout);
        await client.ListDomainsAsync(false, CancellationToken.None);
        var pid = LibvirtDaemon.Pause();
        try
        {
            var clock = Stopwatch.StartNew();
            // Three calls at once on one connection: the first inside libvirt misses its deadline, the
            // two behind it fail too (their own deadline, or the connection's loss), none later.
            var calls = new (string Name, Task Task)[]
            {
                ("virConnectGetAllDomainStats", client.GetAllDomainStatsAsync(DomainStatsGroups.State, CancellationToken.None)),
                ("virConnectListAllDomains", client.ListDomainsAsync(true, CancellationToken.None)),
                ("virConnectGetLibVersion", client.GetVersionAsync(CancellationToken.None)),
            };
            var failures = new List<LibvirtException>();
            foreach (var (name, task) in calls)
            {
                var e = await Should.ThrowAsync<LibvirtException>(() => task);
                e.Message.ShouldStartWith($"libvirt {name} on {TestDomain.Uri}: ");
                (e.TimedOut || e.Unreachable).ShouldBeTrue(e.Message);
                failures.Add(e);
            }
            failures.Count(e => e.Message.EndsWith("no answer within 2 s; call abandoned", StringComparison.Ordinal)).ShouldBe(1);
            clock.Elapsed.ShouldBeLessThan(timeout + TimeSpan.FromSeconds(3));
            // Long enough for keepalive (1 s x 3) to close the connection under the stuck calls.
            await Task.Delay(TimeSpan.FromSeconds(4));
        }
        finally
        {
            LibvirtDaemon.Continue(pid);
            LibvirtDaemon.WaitHealthy(TimeSpan.FromSeconds(60));
        }
        await WorksAgainAsync(client);
    }

    /// <summary>A client with a short deadline and keepalive (1 s x 2), for the SIGSTOP tests.</summary>
    private static NativeLibvirtClient StopTestClient(TimeSpan timeout) => new(new LibvirtClientOptions
    {
        Uri = TestDomain.Uri,
        CallTimeout = timeout,
        KeepAliveInterval = TimeSpan.FromSeconds(1),
        KeepAliveCount = 2,
        ReconnectInitialDelay = TimeSpan.FromMilliseconds(500),
        ReconnectMaxDelay = TimeSpan.FromSeconds(2),
    });

    /// <summary>After SIGCONT: the same client answers again, and every abandoned call has come back from libvirt.</summary>
    private static async Task WorksAgainAsync(NativeLibvirtClient client)
    {
        await Eventually.Succeeds(() => client.ListDomainsAsync(false, CancellationToken.None), TimeSpan.FromSeconds(60));
        var drained = Stopwatch.StartNew();
        while (client.StuckCalls > 0 && drained.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(100);
        client.StuckCalls.ShouldBe(0);
    }
}
