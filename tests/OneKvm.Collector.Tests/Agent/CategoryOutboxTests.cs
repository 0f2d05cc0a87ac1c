using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using OneKvm.Collector.Agent;

namespace OneKvm.Collector.Tests.Agent;

public sealed class CategoryOutboxTests
{
    /// <summary>A link that refuses the first <c>failures</c> sends, recording when each attempt happened.</summary>
    private sealed class RefusingLink(FakeTimeProvider time, int failures) : IMonitordLink
    {
        public List<(TimeSpan At, byte Marker)> Attempts { get; } = [];

        public Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
        {
            lock (Attempts) Attempts.Add((time.GetUtcNow() - Start, message.Frame[0]));
            return Attempts.Count <= failures ? Task.FromException(new SocketException((int)SocketError.ConnectionRefused)) : Task.CompletedTask;
        }
    }

    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static OutgoingMessage Message(byte marker) => new("STATE_VM", MonitordTransport.Tcp, [marker]);

    [Fact]
    public async Task RunAsync_SendErrors_BackOffThenSendTheNewestMessage()
    {
        var time = new FakeTimeProvider(Start);
        var link = new RefusingLink(time, failures: 4);
        var outbox = new CategoryOutbox("state_vm", link, time, TextWriter.Null);
        using var stop = new CancellationTokenSource();
        var running = outbox.RunAsync(stop.Token);

        outbox.Post([Message(1)]);
        await WaitForAttempts(link, 1);
        time.Advance(TimeSpan.FromSeconds(1));
        await WaitForAttempts(link, 2);
        outbox.Post([Message(2)]); // replaces the message waiting for its retry
        time.Advance(TimeSpan.FromSeconds(1));
        await WaitForAttempts(link, 3);
        time.Advance(TimeSpan.FromSeconds(1));
        await WaitForAttempts(link, 4);
        time.Advance(TimeSpan.FromSeconds(1.5));
        await Task.Delay(50);
        link.Attempts.Count.ShouldBe(4); // fourth failure: 2 s back-off, not yet over
        time.Advance(TimeSpan.FromSeconds(0.5));
        await WaitForAttempts(link, 5);

        link.Attempts.ShouldBe([
            (TimeSpan.Zero, (byte)1), (TimeSpan.FromSeconds(1), (byte)1), (TimeSpan.FromSeconds(2), (byte)2),
            (TimeSpan.FromSeconds(3), (byte)2), (TimeSpan.FromSeconds(5), (byte)2)]);
        await stop.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(running);
    }

    private static async Task WaitForAttempts(RefusingLink link, int count)
    {
        for (var i = 0; i < 200 && link.Attempts.Count < count; i++) await Task.Delay(10);
        link.Attempts.Count.ShouldBe(count);
        await Task.Delay(20); // let the outbox reach its back-off wait
    }
}
