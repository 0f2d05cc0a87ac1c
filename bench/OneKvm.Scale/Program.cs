using System.Globalization;
using System.Text.Json;
using OneKvm.Scale;

// onekvm-scale: the scale harness's helper (scripts/scale.sh). Commands:
//   host --vms N --layout v1|v2 --base DIR --out DIR    write a synthetic host of N domains
//   cycle [--cycles K] [--libvirtd-pid PID] -- ONEKVM-OPTIONS...   serve's sampling cycle in process (JSON)
//   scrape --url URL [--count N] [--concurrency C]      scrape latency (JSON)
//   report --results DIR --md FILE --json FILE --soak S --scrapes N --interval S [--publish MODE] [--libvirt TEXT]
var json = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = false };
try
{
    var (command, options, rest) = Parse(args);
    switch (command)
    {
        case "host":
            var layout = Get(options, "layout", "v1") switch
            {
                "v1" => SyntheticLayout.V1Hybrid,
                "v2" => SyntheticLayout.V2,
                var other => throw new ArgumentException($"--layout: '{other}' is not v1 or v2"),
            };
            SyntheticHost.Write(Require(options, "out"), Int(options, "vms", null), layout, Require(options, "base"));
            return 0;
        case "cycle":
            int? pid = options.TryGetValue("libvirtd-pid", out var p) ? Int(options, "libvirtd-pid", null) : null;
            var cycle = await Cycle.RunAsync(rest, Int(options, "cycles", 3), pid);
            Console.WriteLine(JsonSerializer.Serialize(cycle, json));
            return cycle.Errors.Count == 0 ? 0 : 1;
        case "scrape":
            var scrape = await Scrape.RunAsync(new Uri(Require(options, "url")), Int(options, "count", 200), Int(options, "concurrency", 4));
            Console.WriteLine(JsonSerializer.Serialize(scrape, json));
            return 0;
        case "report":
            Report.Write(new Report.Settings(Require(options, "results"), Require(options, "md"), Require(options, "json"),
                Double(options, "soak"), Int(options, "scrapes", null), Double(options, "interval"), Get(options, "publish", "aot"),
                Get(options, "libvirt", "unknown"), Get(options, "notes", "bench/performance-notes.md")));
            return 0;
        default:
            throw new ArgumentException($"unknown command '{command}' (host, cycle, scrape, report)");
    }
}
catch (Exception e) when (e is ArgumentException or IOException or JsonException or InvalidOperationException or FormatException or HttpRequestException or UnauthorizedAccessException)
{
    await Console.Error.WriteLineAsync($"onekvm-scale: {e.Message}");
    return 2;
}

static (string Command, Dictionary<string, string> Options, string[] Tail) Parse(string[] args)
{
    if (args.Length == 0) throw new ArgumentException("usage: onekvm-scale host|cycle|scrape [options] [-- onekvm-probe options]");
    var options = new Dictionary<string, string>(StringComparer.Ordinal);
    var i = 1;
    for (; i < args.Length && args[i] != "--"; i += 2)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            throw new ArgumentException($"expected '--option value', got '{args[i]}'");
        options[args[i][2..]] = args[i + 1];
    }
    return (args[0], options, i < args.Length ? args[(i + 1)..] : []);
}

static string Require(Dictionary<string, string> options, string name) =>
    options.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required");

static string Get(Dictionary<string, string> options, string name, string fallback) => options.GetValueOrDefault(name, fallback);

static int Int(Dictionary<string, string> options, string name, int? fallback)
{
    if (!options.TryGetValue(name, out var text))
        return fallback ?? throw new ArgumentException($"--{name} is required");
    return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
        ? v : throw new ArgumentException($"--{name}: '{text}' is not a positive integer");
}

static double Double(Dictionary<string, string> options, string name) =>
    double.TryParse(Require(options, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0
        ? v : throw new ArgumentException($"--{name}: '{options[name]}' is not a non-negative number");
