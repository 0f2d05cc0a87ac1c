using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading.Channels;

namespace OneKvm.Collector.Tests.Support;

/// <summary>
/// A stand-in monitord on 127.0.0.1: one UDP socket and one TCP listener on the same free port,
/// decoding every message with <see cref="MonitordDecoder"/>.
/// </summary>
internal sealed class MonitordListener : IAsyncDisposable
{
    private readonly UdpClient _udp;
    private readonly TcpListener _tcp;
    private readonly RSA? _privateKey;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<DecodedMessage> _messages = Channel.CreateUnbounded<DecodedMessage>();
    private readonly List<Task> _loops = [];

    public MonitordListener(RSA? privateKey = null)
    {
        _privateKey = privateKey;
        for (var attempt = 0; ; attempt++)
        {
            var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
            try
            {
                var tcp = new TcpListener(IPAddress.Loopback, port);
                tcp.Start();
                (_udp, _tcp, Port) = (udp, tcp, port);
                break;
            }
            catch (SocketException) when (attempt < 20)
            {
                udp.Dispose();
            }
        }
        _loops.Add(Task.Run(UdpLoopAsync));
        _loops.Add(Task.Run(TcpLoopAsync));
    }

    public int Port { get; }

    /// <summary>Messages that failed to decode (must stay empty).</summary>
    public List<string> Errors { get; } = [];

    /// <summary>The next decoded message matching <paramref name="match"/> within <paramref name="timeout"/>.</summary>
    public async Task<DecodedMessage> NextAsync(Func<DecodedMessage, bool> match, TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var message = await _messages.Reader.ReadAsync(limit.Token);
                if (match(message)) return message;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no matching message within {timeout.TotalSeconds} s (decode errors: {string.Join("; ", Errors)})");
        }
    }

    /// <summary>Forgets the messages received so far: the next <see cref="NextAsync"/> sees only later ones.</summary>
    public void Clear()
    {
        while (_messages.Reader.TryRead(out _))
        {
        }
    }

    private async Task UdpLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var datagram = await _udp.ReceiveAsync(_stop.Token);
                Accept(datagram.Buffer, "udp");
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task TcpLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var client = await _tcp.AcceptTcpClientAsync(_stop.Token);
                using var buffer = new MemoryStream();
                await client.GetStream().CopyToAsync(buffer, _stop.Token); // monitord reads until EOF
                Accept(buffer.ToArray(), "tcp");
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Accept(byte[] frame, string transport)
    {
        try
        {
            _messages.Writer.TryWrite(MonitordDecoder.Decode(frame, transport, _privateKey));
        }
        catch (Exception e) when (e is FormatException or InvalidDataException)
        {
            lock (Errors) Errors.Add(e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _tcp.Stop();
        _udp.Dispose();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException)
        {
        }
        _stop.Dispose();
    }
}
