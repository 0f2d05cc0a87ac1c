using System.Globalization;

using OneKvm.Cgroups;

namespace OneKvm.Probes.Host.Kernel;

/// <summary>One interface line of <c>/proc/net/dev</c>: cumulative byte counters since the device appeared.</summary>
public sealed record NetDevice(string Name, ulong ReceiveBytes, ulong TransmitBytes);

/// <summary>
/// Parses <c>/proc/net/dev</c>:
/// <code>
/// Inter-|   Receive                                                |  Transmit
///  face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
///   eth0: 276958526    5638    0    0    0     0          0         0   288383    3229    0    0    0     0       0          0
/// </code>
/// Two header lines, then <c>name: 16 numbers</c>. Long names touch the colon, so the line is split
/// at its last <c>:</c>; receive bytes is the 1st number, transmit bytes the 9th.
/// </summary>
public static class NetDevParser
{
    public static IReadOnlyList<NetDevice> Parse(string text, string source = "net/dev")
    {
        var devices = new List<NetDevice>();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (lineNumber <= 2 || line.Trim().Length == 0) continue;
            var colon = line.LastIndexOf(':');
            var fields = colon < 0 ? [] : line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (colon < 0 || fields.Length < 16
                || !ulong.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var rx)
                || !ulong.TryParse(fields[8], NumberStyles.None, CultureInfo.InvariantCulture, out var tx))
            {
                throw new FormatException($"{source}:{lineNumber}: malformed interface line '{line}'");
            }
            devices.Add(new NetDevice(line[..colon].Trim(), rx, tx));
        }
        return devices;
    }

    /// <summary>Reads <c>&lt;proc&gt;/net/dev</c> (the reading process's network namespace).</summary>
    public static IReadOnlyList<NetDevice> Read(HostPaths paths)
    {
        var path = paths.ProcPath("net", "dev");
        return Parse(KernelFile.Read(path), path);
    }
}
