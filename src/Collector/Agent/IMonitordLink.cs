using System.Net;
using System.Net.Sockets;

namespace OneKvm.Collector.Agent;

/// <summary>Delivers framed messages to monitord.</summary>
public interface IMonitordLink
{
    /// <exception cref="SocketException">The message could not be delivered.</exception>
    Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken);
}

/// <summary>UDP datagrams and short TCP connections (connect, send, close) to monitord's port.</summary>
public sealed class MonitordLink(string address, int port) : IMonitordLink
{
    public async Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var endpoint = new IPEndPoint(await ResolveAsync(cancellationToken), port);
        if (message.Transport == MonitordTransport.Udp)
        {
            using var udp = new UdpClient(endpoint.AddressFamily);
            await udp.SendAsync(message.Frame, endpoint, cancellationToken);
            return;
        }
        using var tcp = new TcpClient(endpoint.AddressFamily);
        await tcp.ConnectAsync(endpoint, cancellationToken);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(message.Frame, cancellationToken);
        tcp.Client.Shutdown(SocketShutdown.Send);
    }

    private async Task<IPAddress> ResolveAsync(CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(address, out var ip)) return ip;
        var addresses = await Dns.GetHostAddressesAsync(address, cancellationToken);
        return addresses.FirstOrDefault() ?? throw new SocketException((int)SocketError.HostNotFound);
    }
}
