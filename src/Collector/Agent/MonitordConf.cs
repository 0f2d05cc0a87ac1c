using System.Globalization;
using System.Text;

namespace OneKvm.Collector.Agent;

/// <summary>
/// <c>/var/tmp/one_db/etc/monitord.conf</c>: the template-syntax copy of the network settings and
/// periods that shell senders on the host (<c>send_to_monitor</c> in <c>scripts_common.sh</c>) read.
/// </summary>
public static class MonitordConf
{
    /// <summary>Renders the file (pure). Values are quoted; <c>"</c> is escaped as <c>\"</c>.</summary>
    public static string Render(MonitorConfiguration configuration, string resolvedAddress)
    {
        var p = configuration.Periods;
        var text = new StringBuilder();
        text.Append("NETWORK = [\n")
            .Append("  MONITOR_ADDRESS = \"").Append(Quote(resolvedAddress)).Append("\",\n")
            .Append("  PORT = \"").Append(configuration.Port.ToString(CultureInfo.InvariantCulture)).Append("\",\n")
            .Append("  PUBKEY = \"").Append(Quote((configuration.PublicKeyPem ?? "").ReplaceLineEndings(" ").Trim())).Append("\"\n")
            .Append("]\n")
            .Append("PROBES_PERIOD = [\n");
        (string Key, int Value)[] periods =
        [
            ("BEACON_HOST", p.BeaconHost), ("SYSTEM_HOST", p.SystemHost), ("MONITOR_HOST", p.MonitorHost),
            ("STATE_VM", p.StateVm), ("EXEC_VM", p.ExecVm), ("MONITOR_VM", p.MonitorVm),
        ];
        for (var i = 0; i < periods.Length; i++)
        {
            text.Append("  ").Append(periods[i].Key).Append(" = \"")
                .Append(periods[i].Value.ToString(CultureInfo.InvariantCulture)).Append('"')
                .Append(i + 1 < periods.Length ? ",\n" : "\n");
        }
        return text.Append("]\n").ToString();
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically (<see cref="OneKvm.Libvirt.Runtime.AtomicFile"/>).</summary>
    public static void WriteAtomic(string path, string content) => OneKvm.Libvirt.Runtime.AtomicFile.Write(path, content);

    private static string Quote(string value) => value.Replace("\"", "\\\"", StringComparison.Ordinal);
}
