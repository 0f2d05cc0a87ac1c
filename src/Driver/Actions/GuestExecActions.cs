using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OneKvm.Driver.Actions;

/// <summary>
/// <c>exec &lt;vm_id&gt; &lt;host&gt; &lt;command&gt; [&lt;stdin_base64&gt;]</c> (EXEC, no extra arguments): starts the
/// command in the guest through the QEMU guest agent (<c>guest-exec</c> with captured output) and
/// stores its pid in <c>&lt;state dir&gt;/one-&lt;vm_id&gt;</c> (<c>/var/run/one</c>), where the EXEC_VM monitor
/// reaps the result. The command string is split as upstream's <c>Shellwords.shellsplit</c> does.
/// </summary>
public sealed class ExecAction : DriverAction
{
    public override string Name => "exec";

    public override string Usage => "<vm_id> <host> <command> [<stdin_base64>]";

    public override int MinArguments => 3;

    public override int? DomainArgument => null;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken)
    {
        var vmId = GuestExec.VmId(args[0]);
        var words = ShellWords.Split(string.Join(' ', ShellWords.Split(args[2])));
        if (words.Count == 0) throw new ActionFailedException("Error executing the command: the command is empty");
        var arguments = new JsonObject
        {
            ["path"] = words[0],
            ["arg"] = new JsonArray(words.Skip(1).Select(w => (JsonNode)JsonValue.Create(w)!).ToArray()),
            ["capture-output"] = true,
        };
        if (args.Count > 3 && args[3].Length > 0) arguments["input-data"] = args[3];

        using var held = await GuestExec.LockAsync(context, cancellationToken);
        var reply = await GuestExec.CommandAsync(context, vmId, new JsonObject { ["execute"] = "guest-exec", ["arguments"] = arguments }, cancellationToken);
        var pid = reply["return"]?["pid"]?.GetValue<long>()
            ?? throw new ActionFailedException($"Error executing the command: the guest agent of one-{vmId} returned no pid: {reply.ToJsonString()}");
        await Files.WriteAtomicallyAsync(GuestExec.PidFile(context, vmId), pid.ToString(CultureInfo.InvariantCulture), "guest exec pid file", cancellationToken);
    }
}

/// <summary><c>exec_cancel &lt;vm_id&gt; &lt;host&gt;</c>: kills the running guest command (<c>kill -9 &lt;pid&gt;</c> through the agent) and forgets its pid.</summary>
public sealed class ExecCancelAction : DriverAction
{
    public override string Name => "exec_cancel";

    public override string Usage => "<vm_id> <host>";

    public override int MinArguments => 1;

    public override int? DomainArgument => null;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken)
    {
        var vmId = GuestExec.VmId(args[0]);
        using var held = await GuestExec.LockAsync(context, cancellationToken);
        var path = GuestExec.PidFile(context, vmId);
        string pid;
        try
        {
            if (!File.Exists(path)) return;
            pid = (await File.ReadAllTextAsync(path, cancellationToken)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ActionFailedException($"Error executing the command: cannot read {path}: {e.Message}", e);
        }
        if (pid.Length == 0) return;
        if (!long.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            throw new ActionFailedException($"Error executing the command: {path} holds '{pid}', not a pid");
        await GuestExec.CommandAsync(context, vmId, new JsonObject
        {
            ["execute"] = "guest-exec",
            ["arguments"] = new JsonObject { ["path"] = "kill", ["arg"] = new JsonArray("-9", pid), ["capture-output"] = true },
        }, cancellationToken);
        Files.TryDelete(path);
    }
}

internal static class GuestExec
{
    public static string VmId(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id.ToString(CultureInfo.InvariantCulture)
            : throw new ActionFailedException($"Error executing the command: VM id '{text}' is not a whole number");

    public static string PidFile(ActionContext context, string vmId) => Path.Join(context.Settings.ExecStateDirectory, $"one-{vmId}");

    public static async Task<JsonNode> CommandAsync(ActionContext context, string vmId, JsonObject command, CancellationToken cancellationToken)
    {
        var output = await context.RunAsync("Error executing the command",
            ["qemu-agent-command", "--", $"one-{vmId}", command.ToJsonString()], cancellationToken);
        try
        {
            return JsonNode.Parse(output) ?? throw new JsonException("empty reply");
        }
        catch (JsonException e)
        {
            throw new ActionFailedException($"Error executing the command: the guest agent's reply is not JSON: {e.Message}", e);
        }
    }

    /// <summary>The lock upstream's VirshWrapper.lock_exec takes (<c>.exec-lock</c> in the state directory, flock).</summary>
    public static async Task<IDisposable> LockAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var path = Path.Join(context.Settings.ExecStateDirectory, ".exec-lock");
        var start = context.Time.GetTimestamp();
        while (true)
        {
            try
            {
                Directory.CreateDirectory(context.Settings.ExecStateDirectory);
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (context.Time.GetElapsedTime(start) < TimeSpan.FromSeconds(60) && File.Exists(path))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), context.Time, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ActionFailedException($"Error executing the command: cannot lock {path}: {e.Message}", e);
            }
        }
    }
}

/// <summary>Word splitting as Ruby's <c>Shellwords.shellsplit</c>: blanks separate, quotes and backslashes group.</summary>
internal static class ShellWords
{
    public static List<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
                continue;
            }
            inWord = true;
            if (c == '\'')
            {
                var end = line.IndexOf('\'', i + 1);
                if (end < 0) throw new ActionFailedException($"Error executing the command: unmatched quote in '{line}'");
                word.Append(line, i + 1, end - i - 1);
                i = end;
            }
            else if (c == '"')
            {
                for (i++; ; i++)
                {
                    if (i >= line.Length) throw new ActionFailedException($"Error executing the command: unmatched quote in '{line}'");
                    if (line[i] == '"') break;
                    if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\' or '$' or '`' or '\n') i++;
                    word.Append(line[i]);
                }
            }
            else if (c == '\\' && i + 1 < line.Length)
            {
                word.Append(line[++i]);
            }
            else
            {
                word.Append(c);
            }
        }
        if (inWord) words.Add(word.ToString());
        return words;
    }
}
