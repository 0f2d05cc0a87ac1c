using System.Net.Sockets;
using System.Threading.Channels;

namespace OneKvm.Collector.Agent;

/// <summary>
/// The sending side of one category: holds only the newest batch of messages, sends it, and after
/// a send error waits <see cref="SendBackoff"/> before trying again (a newer batch replaces the one
/// waiting). Categories have one outbox each, so a failing one never holds up the others.
/// </summary>
public sealed class CategoryOutbox
{
    private readonly Channel<IReadOnlyList<OutgoingMessage>> pending =
        Channel.CreateBounded<IReadOnlyList<OutgoingMessage>>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });

    private readonly IMonitordLink link;
    private readonly TimeProvider time;
    private readonly TextWriter log;

    public CategoryOutbox(string category, IMonitordLink link, TimeProvider time, TextWriter log)
    {
        Category = category;
        this.link = link;
        this.time = time;
        this.log = log;
    }

    public string Category { get; }

    public void Post(IReadOnlyList<OutgoingMessage> messages) => pending.Writer.TryWrite(messages);

    /// <summary>Sends until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = await pending.Reader.ReadAsync(cancellationToken);
            while (true)
            {
                try
                {
                    foreach (var message in batch) await link.SendAsync(message, cancellationToken);
                    failures = 0;
                    break;
                }
                catch (Exception e) when (e is SocketException or IOException)
                {
                    failures++;
                    var delay = SendBackoff.After(failures);
                    await log.WriteLineAsync($"onekvm-probe agent: {Category}: sending failed ({e.Message}); retrying in {delay.TotalSeconds:0} s");
                    await Task.Delay(delay, time, cancellationToken);
                    if (pending.Reader.TryRead(out var newer)) batch = newer;
                }
            }
        }
    }
}
