using System.Globalization;
using System.Text;
using System.Text.Json;
using OneKvm.Cgroups;
using OneKvm.Probes.Host.Kernel;

namespace OneKvm.Probes.Vm;

/// <summary>
/// The EXEC_VM category (upstream's <c>vm/execution/exec.rb</c>, every 5 s): the VMM <c>exec</c>
/// action starts a command in a guest with the QEMU guest agent's <c>guest-exec</c> and leaves its
/// guest pid in <c>/var/run/one/one-&lt;id&gt;</c>; this reaps them. Under the exclusive lock
/// <c>/var/run/one/.exec-lock</c> (the action's too), for every OpenNebula VM on the host with a pid
/// file, <c>guest-exec-status</c> is asked; a command that has exited is reported
/// <c>VM = [ ID="5", PID="1234", STATUS="DONE", RETURN_CODE="0", STDOUT="&lt;b64&gt;", STDERR="&lt;b64&gt;" ]</c>
/// (the guest agent's own Base64) and its pid file removed; one still running is left for the next
/// run. The payload is empty when nothing finished, as upstream's.
/// </summary>
public static class ExecVmReaper
{
    /// <param name="paths">Where the run directory is.</param>
    /// <param name="vmIds">The OpenNebula VMs running on the host (domains <c>one-&lt;id&gt;</c>).</param>
    /// <param name="agentCommand">Sends a guest-agent JSON command to a domain (by name) and returns the agent's JSON answer.</param>
    /// <param name="lockTimeout">How long to wait for the exec lock.</param>
    /// <param name="cancellationToken">Cancels the reaping.</param>
    /// <returns>The payload lines, and one warning per VM whose status could not be read.</returns>
    public static async Task<(string Payload, IReadOnlyList<string> Warnings)> ReapAsync(
        HostPaths paths,
        IEnumerable<int> vmIds,
        Func<string, string, CancellationToken, Task<string>> agentCommand,
        TimeSpan lockTimeout,
        CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        if (!Directory.Exists(paths.OneRunDirectory)) return ("", warnings);
        var lines = new StringBuilder();
        using var held = await FileLock.AcquireAsync(Path.Join(paths.OneRunDirectory, ".exec-lock"), lockTimeout, cancellationToken);
        foreach (var id in vmIds.Order())
        {
            var name = $"one-{id.ToString(CultureInfo.InvariantCulture)}";
            var pidFile = Path.Join(paths.OneRunDirectory, name);
            string text;
            try
            {
                if (!File.Exists(pidFile)) continue;
                text = (await File.ReadAllTextAsync(pidFile, cancellationToken)).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                warnings.Add($"{pidFile}: {e.Message}");
                continue;
            }
            if (text.Length == 0) continue;
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                warnings.Add($"{pidFile}: '{text}' is not a guest pid");
                continue;
            }
            var command = "{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":" + pid.ToString(CultureInfo.InvariantCulture) + "}}";
            Status status;
            try
            {
                status = Parse(await agentCommand(name, command, cancellationToken));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                warnings.Add($"{name}: guest-exec-status of pid {pid}: {e.Message}");
                continue;
            }
            if (!status.Exited) continue;
            lines.Append(CultureInfo.InvariantCulture,
                $"VM = [ ID=\"{id}\", PID=\"{pid}\", STATUS=\"DONE\", RETURN_CODE=\"{status.ExitCode}\", STDOUT=\"{status.Out}\", STDERR=\"{status.Err}\" ]\n");
            try
            {
                File.Delete(pidFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                warnings.Add($"{pidFile}: reported but not removed: {e.Message}");
            }
        }
        return (lines.ToString(), warnings);
    }

    private readonly record struct Status(bool Exited, string ExitCode, string Out, string Err);

    /// <summary>The <c>return</c> object of <c>guest-exec-status</c>; Base64 fields are checked to be Base64 (they go into the template as they are).</summary>
    private static Status Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var result = document.RootElement.GetProperty("return");
            var exited = result.TryGetProperty("exited", out var e) && e.ValueKind == JsonValueKind.True;
            var code = result.TryGetProperty("exitcode", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt64().ToString(CultureInfo.InvariantCulture) : "";
            return new Status(exited, code, Base64(result, "out-data"), Base64(result, "err-data"));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"unexpected guest agent answer: {e.Message}", e);
        }
    }

    private static string Base64(JsonElement result, string name)
    {
        if (!result.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String) return "";
        var text = value.GetString() ?? "";
        return System.Buffers.Text.Base64.IsValid(text) ? text : throw new FormatException($"{name} is not Base64");
    }
}
