using System.Globalization;
using System.Net;
using System.Text;

namespace OneKvm.Collector.Exporter;

/// <summary>
/// The status page at <c>/</c>: the host summary, probe health and one table row per VM (state,
/// CPU used vs entitled, share drift, starved / noisy), all from the latest snapshot set. Plain
/// HTML and CSS (no script), one column on a phone; every value is HTML-escaped.
/// </summary>
public static class LandingPage
{
    /// <summary>libvirt's <c>virDomainState</c> names, by value.</summary>
    private static readonly string[] StateNames = ["nostate", "running", "blocked", "paused", "shutdown", "shutoff", "crashed", "pmsuspended"];

    private const string Style = """
        body{font:15px/1.4 system-ui,sans-serif;margin:0;padding:1em;color:#1a1a1a;background:#fafafa}
        h1{font-size:1.4em;margin:0 0 .3em}h2{font-size:1.1em;margin:1.2em 0 .4em}
        .meta{color:#555;margin:0 0 1em;overflow-wrap:anywhere}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em;margin:0}
        dt{color:#555}dd{margin:0;font-variant-numeric:tabular-nums}
        .scroll{overflow-x:auto}
        table{border-collapse:collapse;width:100%;background:#fff}
        th,td{padding:.35em .6em;border-bottom:1px solid #ddd;text-align:left;white-space:nowrap}
        td.n{text-align:right;font-variant-numeric:tabular-nums}
        .bad{color:#b00020;font-weight:600}.ok{color:#1b5e20}
        a{color:#0b57d0}
        @media (max-width:600px){table,thead,tbody,tr,th,td{display:block}thead{display:none}
        tr{border:1px solid #ddd;margin:0 0 .6em;background:#fff}td{border:0;white-space:normal;text-align:left}
        td.n{text-align:left}td::before{content:attr(data-label) ": ";color:#555}}
        """;

    /// <summary>One VM row of the table, joined from <c>vm_stats</c> and the cgroup audit.</summary>
    public sealed record Row(string Domain, int? OneVmId, string? Name, int? State, double? UsedCores, double? EntitledCores,
        double? Drift, bool? Starved, bool? Noisy);

    /// <summary>The rows of <paramref name="set"/>'s current samples, ordered by domain name.</summary>
    public static IReadOnlyList<Row> Rows(SnapshotSet set)
    {
        var vms = set.Input.Vms.GroupBy(v => v.Domain, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var cgroups = set.Input.Cgroups.GroupBy(v => v.Domain, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        return vms.Keys.Union(cgroups.Keys).Order(StringComparer.Ordinal).Select(domain =>
        {
            var vm = vms.GetValueOrDefault(domain);
            var cg = cgroups.GetValueOrDefault(domain);
            return new Row(domain, vm?.OneVmId ?? cg?.OneVmId, vm?.OneVmName, vm?.State, cg?.CpuUsedCores, cg?.CpuEntitledCores,
                cg?.AppliedCpuWeight - cg?.ExpectedCpuWeight, cg?.Starved, cg?.Noisy);
        }).ToList();
    }

    public static string Render(SnapshotSet set, BuildVersion build, string hostName)
    {
        var html = new StringBuilder(4096);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
            .Append("<title>onekvm-probe on ").Append(E(hostName)).Append("</title><style>").Append(Style).Append("</style></head><body>\n")
            .Append("<h1>onekvm-probe on ").Append(E(hostName)).Append("</h1>\n")
            .Append("<p class=\"meta\">version ").Append(E(build.Version)).Append(" (").Append(E(build.Revision)).Append(") · <a href=\"/metrics\">/metrics</a> · ")
            .Append("<a href=\"/-/healthy\">/-/healthy</a> · <a href=\"/-/ready\">/-/ready</a></p>\n");

        AppendHost(html, set);
        AppendProbes(html, set);

        var rows = Rows(set);
        html.Append("<h2>Virtual machines (").Append(rows.Count.ToString(CultureInfo.InvariantCulture)).Append(")</h2>\n")
            .Append("<div class=\"scroll\"><table id=\"vms\"><thead><tr><th>Domain</th><th>VM id</th><th>Name</th><th>State</th>")
            .Append("<th>CPU used (cores)</th><th>CPU entitled (cores)</th><th>Share drift</th><th>Flags</th></tr></thead><tbody>\n");
        foreach (var r in rows)
        {
            var flags = new List<string>();
            if (r.Starved == true) flags.Add("starved");
            if (r.Noisy == true) flags.Add("noisy");
            html.Append("<tr data-domain=\"").Append(E(r.Domain)).Append("\">")
                .Append(Cell("Domain", r.Domain))
                .Append(Cell("VM id", r.OneVmId?.ToString(CultureInfo.InvariantCulture) ?? ""))
                .Append(Cell("Name", r.Name ?? ""))
                .Append(Cell("State", r.State is { } s && s >= 0 && s < StateNames.Length ? StateNames[s] : r.State?.ToString(CultureInfo.InvariantCulture) ?? ""))
                .Append(Cell("CPU used (cores)", Number(r.UsedCores, "0.00"), numeric: true))
                .Append(Cell("CPU entitled (cores)", Number(r.EntitledCores, "0.00"), numeric: true))
                .Append(Cell("Share drift", Number(r.Drift, "+0;-0;0"), numeric: true, bad: r.Drift is { } d && d != 0))
                .Append(Cell("Flags", flags.Count == 0 ? "" : string.Join(' ', flags), bad: flags.Count > 0))
                .Append("</tr>\n");
        }
        html.Append("</tbody></table></div>\n</body></html>\n");
        return html.ToString();
    }

    private static void AppendHost(StringBuilder html, SnapshotSet set)
    {
        html.Append("<h2>Host</h2>\n");
        if (set.Input.Host is not { } h)
        {
            html.Append("<p>No host sample yet.</p>\n");
            return;
        }
        html.Append("<dl>")
            .Append(Item("CPU threads", Number(h.Cpus, "0.##")))
            .Append(Item("MAX_CPU (threads)", Number(h.MaxCpus, "0.##")))
            .Append(Item("Allocated to VMs (threads)", Number(h.AllocatedCpus, "0.##")))
            .Append(Item("CPU in use", h.CpuUsageRatio is { } u ? (u * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "—"))
            .Append(Item("Memory", Bytes(h.MemoryTotalBytes)))
            .Append(Item("MAX_MEM", Bytes(h.MaxMemoryBytes)))
            .Append(Item("Allocated to VMs", Bytes(h.AllocatedMemoryBytes)))
            .Append(Item("Memory in use", Bytes(h.MemoryUsedBytes)))
            .Append("</dl>\n");
    }

    private static void AppendProbes(StringBuilder html, SnapshotSet set)
    {
        html.Append("<h2>Probes</h2>\n<dl>");
        if (set.Latest.Count == 0) html.Append(Item("status", "no probe has run yet"));
        foreach (var (name, s) in set.Latest)
        {
            var text = s.Success
                ? string.Create(CultureInfo.InvariantCulture, $"ok ({s.Duration.TotalSeconds:0.###} s)")
                : "failed: " + s.Error;
            html.Append("<dt>").Append(E(name)).Append("</dt><dd class=\"").Append(s.Success ? "ok" : "bad").Append("\">").Append(E(text)).Append("</dd>");
        }
        html.Append("</dl>\n");
    }

    private static string Item(string name, string value) => $"<dt>{E(name)}</dt><dd>{E(value)}</dd>";

    private static string Cell(string label, string value, bool numeric = false, bool bad = false)
    {
        var classes = (numeric ? "n" : "") + (bad ? (numeric ? " bad" : "bad") : "");
        return $"<td data-label=\"{E(label)}\"{(classes.Length > 0 ? $" class=\"{classes}\"" : "")}>{E(value)}</td>";
    }

    private static string Number(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "";

    private static string Bytes(double? bytes) => bytes is { } b ? (b / (1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB" : "—";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
