using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace OneKvm.Libvirt.Configuration;

/// <summary>
/// OpenNebula's <c>kvmrc</c> (<c>/var/tmp/one/etc/vmm/kvm/kvmrc</c>) evaluated as upstream's scripts
/// do: <c>bash</c> sources it, here in a clean environment (<c>PATH</c> only) with <c>set -a</c>, and
/// the variables it set are read back with <c>env -0</c>. Conditionals, <c>${VAR}</c> expansions,
/// functions and plain or exported assignments therefore all behave as in the upstream drivers.
/// <c>LIBVIRT_URI</c> is the libvirt connection setting of both the driver and the monitoring side.
/// </summary>
public static partial class Kvmrc
{
    public const string DefaultPath = "/var/tmp/one/etc/vmm/kvm/kvmrc";

    private const string Marker = "--onekvm-kvmrc-sourced--";

    /// <summary>Variables bash itself sets or changes while sourcing; never kvmrc settings.</summary>
    private static readonly HashSet<string> ShellVariables = new(StringComparer.Ordinal) { "_", "PWD", "OLDPWD", "SHLVL" };

    /// <summary>
    /// Baseline environment, then <c>set -a; . FILE</c> with kvmrc's stdout discarded, then the
    /// environment again. A kvmrc that ends the shell (<c>exit</c>) never reaches the second dump.
    /// </summary>
    private const string Script = "env -0; printf '%s\\0' \"$2\"; set -a; . \"$1\" >/dev/null; set +a; printf '%s\\0' \"$2\"; env -0";

    /// <summary>How long bash may take to source kvmrc.</summary>
    public static TimeSpan EvaluationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The bash used to evaluate kvmrc.</summary>
    public static string Bash { get; set; } = "/bin/bash";

    /// <summary>
    /// Sources <paramref name="path"/> and returns the variables it set (name → value).
    /// </summary>
    /// <exception cref="FormatException">
    /// bash reported an error (<c>FILE:LINE: message</c> when bash names the line, else <c>FILE: message</c>),
    /// kvmrc exited the shell, or bash could not be run.
    /// </exception>
    public static IReadOnlyDictionary<string, string> Evaluate(string path)
    {
        path = Path.GetFullPath(path);
        var startInfo = new ProcessStartInfo(Bash)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--noprofile", "--norc", "-c", Script, "kvmrc", path, Marker })
            startInfo.ArgumentList.Add(argument);
        startInfo.Environment.Clear();
        startInfo.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

        string stdout, stderr;
        int exitCode;
        try
        {
            using var process = Process.Start(startInfo)!;
            process.StandardInput.Close();
            var stdoutTask = process.StandardOutput.ReadToEndAsync();
            var stderrTask = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(EvaluationTimeout))
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // exited meanwhile
                }
                throw new FormatException($"{path}: evaluating kvmrc with bash took longer than {EvaluationTimeout.TotalSeconds:0} s");
            }
            // kvmrc may leave a background child holding the pipes: take what arrived shortly after exit.
            if (!Task.WaitAll([stdoutTask, stderrTask], TimeSpan.FromSeconds(2)))
                throw new FormatException($"{path}: kvmrc left a background process holding bash's output");
            (stdout, stderr, exitCode) = (stdoutTask.Result, stderrTask.Result, process.ExitCode);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new FormatException($"{path}: cannot run {Bash} to evaluate kvmrc: {e.Message}", e);
        }

        if (FirstError(stderr) is { } error) throw new FormatException(Locate(path, error));
        var parts = stdout.Split('\0');
        var markers = parts.Select((p, i) => (p, i)).Where(x => x.p == Marker).Select(x => x.i).ToArray();
        if (markers.Length != 2)
            throw new FormatException($"{path}: kvmrc ended the shell before it finished (bash exit status {exitCode})");

        var before = Variables(parts[..markers[0]]);
        var after = Variables(parts[(markers[1] + 1)..]);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in after)
        {
            if (ShellVariables.Contains(name)) continue;
            if (before.TryGetValue(name, out var old) && old == value) continue;
            result[name] = value;
        }
        return result;
    }

    /// <summary>Like <see cref="Evaluate"/>, but a missing file gives no variables.</summary>
    public static IReadOnlyDictionary<string, string> EvaluateIfExists(string path) =>
        File.Exists(path) ? Evaluate(path) : new Dictionary<string, string>(StringComparer.Ordinal);

    private static Dictionary<string, string> Variables(IEnumerable<string> entries)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) continue;
            var name = entry[..equals];
            if (NameRegex().IsMatch(name)) variables[name] = entry[(equals + 1)..];
        }
        return variables;
    }

    private static string? FirstError(string stderr) =>
        stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();

    /// <summary><c>/x/kvmrc: line 3: foo: command not found</c> → <c>/x/kvmrc:3: foo: command not found</c>.</summary>
    internal static string Locate(string path, string bashError)
    {
        var match = LineRegex().Match(bashError);
        if (match.Success) return $"{path}:{match.Groups[1].Value}: {match.Groups[2].Value}";
        var text = new StringBuilder(bashError);
        if (bashError.StartsWith("kvmrc: ", StringComparison.Ordinal)) text.Remove(0, "kvmrc: ".Length);
        return $"{path}: {text}";
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex NameRegex();

    [GeneratedRegex(@": line (\d+): (.*)$")]
    private static partial Regex LineRegex();
}
