using System.Globalization;
using OneKvm.Collector.Fleet;

namespace OneKvm.Collector.Commands;

/// <summary>
/// <c>onekvm-probe targets [--hosts FILE|-] [--output FILE] [--port N] [--all]</c>: the Prometheus
/// file_sd targets of an OpenNebula fleet from <c>onehost list -x</c>. Runs on the front-end (or
/// wherever Prometheus runs), typically from cron: <c>onehost list -x | onekvm-probe targets --output /etc/prometheus/onekvm-targets.json</c>.
/// </summary>
public static class TargetsCommand
{
    public static async Task<int> RunAsync(CommandLineArgs args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var portText = args.Option("port") ?? "9926";
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            await stderr.WriteLineAsync($"onekvm-probe: targets: --port '{portText}' is not a number from 1 to 65535");
            return 2;
        }
        var hostsFile = args.Option("hosts") ?? "-";
        string json;
        try
        {
            var xml = hostsFile == "-" ? await stdin.ReadToEndAsync() : await File.ReadAllTextAsync(hostsFile);
            var hosts = FleetTargets.ParseHostPool(xml, hostsFile == "-" ? "<stdin>" : hostsFile);
            json = FleetTargets.Render(hosts, port, args.Has("all"));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"onekvm-probe: targets: {e.Message}");
            return 2;
        }
        if (args.Option("output") is { } output)
        {
            try
            {
                FleetTargets.WriteAtomically(output, json);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"onekvm-probe: targets: cannot write {output}: {e.Message}");
                return 1;
            }
        }
        else
        {
            await stdout.WriteAsync(json);
        }
        return 0;
    }
}
