using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OneKvm.Scale;

/// <summary>
/// Turns the result directories of scripts/scale.sh into docs/performance.json (one object per run)
/// and docs/performance.md (machine, method, table, targets, and the hand-written analysis kept in
/// bench/performance-notes.md). A figure that was not measured is absent, never zero.
/// </summary>
public static class Report
{
    public sealed record Settings(string Results, string Markdown, string Json, double SoakSeconds, int Scrapes, double IntervalSeconds, string Publish, string Libvirt, string Notes);

    public static void Write(Settings settings)
    {
        var runs = Directory.EnumerateDirectories(settings.Results).Where(d => File.Exists(Path.Join(d, "meta.json"))).Select(Run)
            .OrderBy(r => r["kind"]!.GetValue<string>() == "real" ? 1 : 0).ThenBy(r => r["vms"]!.GetValue<int>()).ToList();
        if (runs.Count == 0) throw new IOException($"{settings.Results}: no runs");
        var array = new JsonArray([.. runs]);
        WriteAtomically(settings.Json, array.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        var table = Table(runs);
        Console.Write(table);
        WriteAtomically(settings.Markdown, Markdown(settings, runs, table));
    }

    private static JsonObject Run(string dir)
    {
        var run = Load(Path.Join(dir, "meta.json")) ?? throw new IOException($"{dir}/meta.json missing");
        if (Load(Path.Join(dir, "cycle.json")) is { } cycle)
        {
            run["cycle_cpu_ms"] = Round(cycle["cpu_ms"]);
            run["cycle_child_cpu_ms"] = Round(cycle["child_cpu_ms"]);
            run["cycle_wall_ms"] = Round(cycle["wall_ms"]);
            if (cycle["libvirtd_cpu_ms"] is { } l) run["libvirtd_cycle_cpu_ms"] = Round(l);
            run["cycle_source_wall_ms"] = new JsonObject([.. cycle["source_wall_ms"]!.AsObject().Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)Round(kv.Value)))]);
            if (cycle["errors"]!.AsArray().Count > 0) run["cycle_errors"] = cycle["errors"]!.DeepClone();
        }
        Once(run, dir, "once");
        Once(run, Path.Join(dir, "vmcats"), "once_vm_categories");
        Once(run, Path.Join(dir, "domstats"), "bare_domstats");
        if (run["once_vm_categories_wall_ms"] is { } v && run["bare_domstats_wall_ms"] is { } d)
            run["vm_categories_vs_domstats"] = Math.Round(v.GetValue<double>() / d.GetValue<double>(), 2);
        Scrape(run, Load(Path.Join(dir, "scrape.json")), "scrape");
        Scrape(run, Load(Path.Join(dir, "peer-scrape.json")), "peer_scrape");
        Rss(run, Path.Join(dir, "serve.rss"), "serve_rss_mb");
        Rss(run, Path.Join(dir, "serve-after-scrapes.rss"), "serve_rss_after_scrapes_mb");
        Rss(run, Path.Join(dir, "peer.rss"), "peer_rss_mb");
        Rss(run, Path.Join(dir, "peer-after-scrapes.rss"), "peer_rss_after_scrapes_mb");
        if (run["scrape_p50_ms"] is { } s && run["peer_scrape_p50_ms"] is { } ps)
            run["scrape_p50_vs_peer"] = Math.Round(s.GetValue<double>() / ps.GetValue<double>(), 3);
        if (run["serve_rss_mb"] is { } r && run["peer_rss_mb"] is { } pr)
            run["serve_rss_vs_peer"] = Math.Round(r.GetValue<double>() / pr.GetValue<double>(), 2);
        return run;
    }

    /// <summary>/usr/bin/time lines "wall user sys maxrss_kb": median wall and CPU, largest RSS.</summary>
    private static void Once(JsonObject run, string dir, string prefix)
    {
        var path = Path.Join(dir, "once.time");
        if (!File.Exists(path)) return;
        var rows = File.ReadAllLines(path).Where(l => l.Length > 0 && char.IsAsciiDigit(l[0]))
            .Select(l => l.Split(' ').Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray()).ToList();
        if (rows.Count == 0) return;
        run[$"{prefix}_wall_ms"] = Math.Round(Median(rows.Select(r => r[0] * 1000)), 1);
        run[$"{prefix}_cpu_ms"] = Math.Round(Median(rows.Select(r => (r[1] + r[2]) * 1000)), 1);
        run[$"{prefix}_peak_rss_mb"] = Math.Round(rows.Max(r => r[3]) / 1024, 1);
    }

    private static void Scrape(JsonObject run, JsonObject? scrape, string prefix)
    {
        if (scrape is null) return;
        run[$"{prefix}_p50_ms"] = Round(scrape["sequential_p50_ms"]);
        run[$"{prefix}_p99_ms"] = Round(scrape["sequential_p99_ms"]);
        run[$"{prefix}_concurrent_p50_ms"] = Round(scrape["concurrent_p50_ms"]);
        run[$"{prefix}_concurrent_p99_ms"] = Round(scrape["concurrent_p99_ms"]);
        run[$"{prefix}_body_bytes"] = scrape["body_bytes"]!.GetValue<long>();
    }

    private static void Rss(JsonObject run, string path, string key)
    {
        if (File.Exists(path) && double.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var kb))
            run[key] = Math.Round(kb / 1024, 1);
    }

    private static readonly (string Key, string Title)[] Columns =
    [
        ("vms", "VMs"), ("cycle_cpu_ms", "cycle CPU ms"), ("cycle_child_cpu_ms", "child CPU ms"), ("libvirtd_cycle_cpu_ms", "libvirtd CPU ms"),
        ("cycle_wall_ms", "cycle wall ms"), ("once_wall_ms", "--once wall ms"), ("once_cpu_ms", "--once CPU ms"), ("once_peak_rss_mb", "--once RSS MB"),
        ("scrape_p50_ms", "scrape p50 ms"), ("scrape_p99_ms", "scrape p99 ms"), ("scrape_concurrent_p99_ms", "4-client p99 ms"),
        ("serve_rss_mb", "serve RSS MB"), ("peer_scrape_p50_ms", "peer p50 ms"), ("peer_rss_mb", "peer RSS MB"),
        ("scrape_p50_vs_peer", "p50 / peer"), ("serve_rss_vs_peer", "RSS / peer"),
    ];

    private static string Table(IReadOnlyList<JsonObject> runs)
    {
        var text = new StringBuilder();
        text.Append("| run | ").AppendJoin(" | ", Columns.Select(c => c.Title)).Append(" |\n|---|")
            .AppendJoin("", Columns.Select(_ => "---:|")).Append('\n');
        foreach (var run in runs)
        {
            text.Append("| ").Append(run["kind"]!.GetValue<string>()).Append(" | ")
                .AppendJoin(" | ", Columns.Select(c => run[c.Key]?.ToJsonString() ?? "–")).Append(" |\n");
        }
        return text.ToString();
    }

    private static string Markdown(Settings s, IReadOnlyList<JsonObject> runs, string table)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append("# Performance\n\nGenerated by `bash scripts/scale.sh` (do not edit by hand: the analysis below comes from\n`bench/performance-notes.md`). Raw figures: `docs/performance.json`.\n\n");
        text.Append("## Machine\n\n");
        text.Append(inv, $"- CPU: {CpuModel()}, {Environment.ProcessorCount} logical CPUs; memory {MemTotalGiB():0.#} GiB; kernel {Read("/proc/sys/kernel/osrelease")}\n");
        text.Append(inv, $"- libvirt: {s.Libvirt}; .NET {Environment.Version}; executables published as `{s.Publish}` (scripts/publish.sh)\n");
        text.Append(inv, $"- serve tick {s.IntervalSeconds} s, soak {s.SoakSeconds} s before serve's RSS is read, {s.Scrapes} scrapes per latency figure\n\n");
        text.Append("## Results\n\n").Append(table).Append('\n');
        text.Append("## Targets (issue 9)\n\n").Append(Targets(runs)).Append('\n');
        var gc = Path.Join(s.Results, "gc", "rss");
        if (File.Exists(gc))
        {
            text.Append("## GC settings (serve RSS after the soak, side by side on one synthetic host)\n\n| setting | serve RSS MB |\n|---|---:|\n");
            foreach (var line in File.ReadAllLines(gc).Where(l => l.Contains(' ', StringComparison.Ordinal)))
            {
                var (name, kb) = (line[..line.IndexOf(' ', StringComparison.Ordinal)], line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
                var mb = double.TryParse(kb, NumberStyles.Float, CultureInfo.InvariantCulture, out var k) ? Math.Round(k / 1024, 1).ToString(CultureInfo.InvariantCulture) : "–";
                text.Append(CultureInfo.InvariantCulture, $"| {name} | {mb} |\n");
            }
            text.Append('\n');
        }
        text.Append("## How the figures are taken\n\n");
        text.Append("""
            - **cycle**: `onekvm-scale cycle` runs, in one process, every source `serve` runs on a tick
              (libvirt check, monitor_host, beacon_host, the host sample behind vm_stats and the cgroup audit; not system_host,
              which runs every 20th tick) concurrently, one warm-up cycle then at least 3 cycles and 2 s.
              CPU is `getrusage` of that process (*cycle CPU*) and of child processes it waited for
              (*child CPU*: none since reads go through the native client); *libvirtd CPU* is the daemon's utime+stime over the same cycles (the
              shared daemon: other engineers' clients add noise). The audit's 1 s usage window is idle
              time and is set to 0 here. This process runs JIT code after the warm-up, not the AOT binary.
            - **--once**: the published `onekvm-probe --once` with every category; one warm-up run (state
              files), then the median of 3 runs of `/usr/bin/time` (wall, user+sys), largest max RSS.
            - **scrape**: `serve` (published binary) on 127.0.0.1; after the soak, `onekvm-scale scrape`
              makes N sequential GETs of `/metrics` then N more over 4 concurrent clients; nearest-rank
              p50/p99 of the full response time. *serve RSS* is VmRSS after the soak, before scraping.
            - **peer**: Debian's `prometheus-libvirt-exporter` (kumina 0.2.0) on the same real domains,
              started with serve and read after the same soak; same scrape client and count.
            - **synthetic hosts**: `onekvm-scale host` writes N `one-<id>` domains (1–2 vCPUs, a disk and a
              NIC each) with cgroup v1-hybrid or v2 trees, `/proc/PID/{cmdline,status,cgroup}`, pid files,
              `vm.xml` and a libvirt recording (`libvirt.json`) that `--Libvirt:Replay` replays in
              process: OneKvm's own cost without libvirtd's (which the real runs show beside it).
            - **real domains**: `onekvm-scale-NNN`, transient TCG domains of 32 MiB with a read-only
              512-byte boot sector that halts, started 10 at a time under the real-host lock and destroyed
              at the end. Their names are not `one-<id>`, so MONITOR_VM and STATE_VM skip them (the
              exporter and the audit do not).

            """);
        var notes = File.Exists(s.Notes) ? File.ReadAllText(s.Notes) : "";
        if (notes.Length > 0) text.Append(notes.TrimEnd()).Append('\n');
        return text.ToString();
    }

    private static string Targets(IReadOnlyList<JsonObject> runs)
    {
        var text = new StringBuilder("| target | run | measured | met |\n|---|---|---:|---|\n");
        void Check(string target, JsonObject? run, string key, Func<double, bool> ok, string? extra = null)
        {
            if (run?[key] is not { } value) return;
            var v = value.GetValue<double>();
            text.Append(CultureInfo.InvariantCulture, $"| {target} | {run["kind"]} {run["vms"]} | {v}{extra} | {(ok(v) ? "yes" : "**no**")} |\n");
        }
        var big = runs.Where(r => r["kind"]!.GetValue<string>() == "synthetic").MaxBy(r => r["vms"]!.GetValue<int>());
        var real = runs.FirstOrDefault(r => r["kind"]!.GetValue<string>() == "real");
        Check("cycle ≤ 50 ms OneKvm CPU", big, "cycle_cpu_ms", v => v <= 50);
        Check("scrape p99 ≤ 5 ms", big, "scrape_p99_ms", v => v <= 5);
        Check("serve RSS ≤ 80 MB", big, "serve_rss_mb", v => v <= 80);
        if (real?["peer_rss_mb"] is { } peer)
            Check("serve RSS ≤ Debian exporter's", real, "serve_rss_mb", v => v <= peer.GetValue<double>(), $" (peer {peer})");
        Check("--once all categories ≤ 400 ms wall", real, "once_wall_ms", v => v <= 400);
        Check("--once monitor_vm,state_vm ≤ 1.5 × bare virsh domstats", real, "vm_categories_vs_domstats", v => v <= 1.5, " ×");
        return text.ToString();
    }

    private static JsonObject? Load(string path) => File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } t ? JsonNode.Parse(t)!.AsObject() : null;

    private static JsonValue? Round(JsonNode? value) => value is null ? null : JsonValue.Create(Math.Round(value.GetValue<double>(), 2));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Read(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : "unknown";

    private static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";

    private static double MemTotalGiB()
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024 / 1024;
    }

    private static void WriteAtomically(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }
}
