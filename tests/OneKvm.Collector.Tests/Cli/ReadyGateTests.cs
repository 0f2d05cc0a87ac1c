using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting.Systemd;
using OneKvm.Collector.Hosting;

namespace OneKvm.Collector.Tests.Cli;

/// <summary>The daemon's READY=1 on a real notify socket: the host's start is not readiness, the command's word is.</summary>
public sealed class ReadyGateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-notify-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Ready_OnlyWhenTheCommandSaysSo_OnceAndStoppingPassesThrough()
    {
        var path = Path.Join(_dir, "notify");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.ReceiveTimeout = 2000;
        SystemdNotifier notifier;
        var before = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        Environment.SetEnvironmentVariable("NOTIFY_SOCKET", path);
        try
        {
            notifier = new SystemdNotifier(); // reads NOTIFY_SOCKET here
        }
        finally
        {
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", before);
        }
        var gate = new ReadyGate(notifier);
        gate.IsEnabled.ShouldBeTrue();

        gate.Notify(ServiceState.Ready); // what the systemd lifetime says at host start
        socket.Available.ShouldBe(0);
        gate.Ready();
        gate.Ready();
        gate.Notify(ServiceState.Stopping);

        Receive(socket).ShouldBe("READY=1");
        Receive(socket).ShouldBe("STOPPING=1");
        socket.Available.ShouldBe(0);
    }

    private static string Receive(Socket socket)
    {
        var buffer = new byte[256];
        return Encoding.UTF8.GetString(buffer, 0, socket.Receive(buffer));
    }
}
