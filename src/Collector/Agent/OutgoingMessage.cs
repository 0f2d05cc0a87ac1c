using System.Globalization;
using System.Text;

namespace OneKvm.Collector.Agent;

/// <summary>How a message travels to monitord.</summary>
public enum MonitordTransport
{
    Udp,
    Tcp,
}

/// <summary>One framed message: <c>TYPE STATUS HOST_ID EPOCH PAYLOAD</c> (ASCII, no trailing newline).</summary>
public sealed record OutgoingMessage(string Type, MonitordTransport Transport, byte[] Frame)
{
    /// <summary>The largest UDP payload over IPv4; monitord drops longer datagrams silently.</summary>
    public const int MaxDatagramBytes = 65_507;

    public static byte[] FrameBytes(string type, bool success, int hostId, long epoch, string payload) =>
        Encoding.ASCII.GetBytes(string.Join(' ',
            type, success ? "SUCCESS" : "FAILURE",
            hostId.ToString(CultureInfo.InvariantCulture), epoch.ToString(CultureInfo.InvariantCulture), payload));

    public override string ToString() => $"{Type} over {Transport} ({Frame.Length} bytes)";
}
