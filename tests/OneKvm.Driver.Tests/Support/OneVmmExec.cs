using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace OneKvm.Driver.Tests.Support;

/// <summary>What oned receives for one action: the result line and the LOG lines.</summary>
internal sealed record OnedAnswer(string Result, string Info, IReadOnlyList<string> Logs, int ExitCode, string Stdout, string Stderr)
{
    public bool Success => Result == "SUCCESS";

    /// <summary>The line one_vmm_exec writes to oned, e.g. <c>DEPLOY SUCCESS 42 c5f3…</c>.</summary>
    public string Line(string action, int vmId) => $"{action} {Result} {vmId} {Info}";

    public override string ToString() => $"{Result} '{Info}' exit {ExitCode}\nstderr:\n{Stderr}";
}

/// <summary>
/// Emulates OpenNebula's front-end driver (<c>one_vmm_exec.rb</c>, <c>DriverExecHelper.rb</c>), which
/// cannot run here (no OpenNebula packages): the remotes tree is written by <c>onekvm-driver remotes</c>
/// into <c>&lt;root&gt;/vmm/kvm</c> with the kvmrc at <c>&lt;root&gt;/etc/vmm/kvm/kvmrc</c> (the host's
/// <c>/var/tmp/one</c> layout); an action runs as one_vmm_exec's ssh stream runs it — a shell command
/// line <c>&lt;root&gt;/vmm/kvm/&lt;action&gt; '&lt;p1&gt;' '&lt;p2&gt;' … &lt;vm_id&gt; &lt;host&gt;</c> with the action XML on stdin —
/// and stderr is read as <c>get_info_from_execution</c> does: lines matching
/// <c>^(ERROR|INFO|WARN|DEBUG):\s+(\d+)?\s*(.*)$</c> become LOG messages, the other lines (stripped) are
/// concatenated without a separator into the failure info; on success the info is stdout, stripped;
/// empty info is <c>-</c>.
/// </summary>
internal sealed partial class OneVmmExec : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("onekvm-remotes-").FullName;

    public OneVmmExec(string kvmrc = "")
    {
        var driver = Path.Join(_root, "onekvm-driver");
        // The installed driver: the built assembly next to the tests.
        File.WriteAllText(driver, $"#!/bin/sh\nexec dotnet '{Path.Join(AppContext.BaseDirectory, "onekvm-driver.dll")}' \"$@\"\n");
        File.SetUnixFileMode(driver, (UnixFileMode)0b111_101_101);
        var install = Run("/bin/sh", ["-c", $"dotnet '{Path.Join(AppContext.BaseDirectory, "onekvm-driver.dll")}' remotes --driver '{driver}' '{RemotesDir}'"], "", new Dictionary<string, string>());
        if (install.ExitCode != 0) throw new InvalidOperationException($"remotes failed: {install.Stderr}");
        Directory.CreateDirectory(Path.GetDirectoryName(Kvmrc)!);
        File.WriteAllText(Kvmrc, kvmrc);
    }

    public string Root => _root;

    public string RemotesDir => Path.Join(_root, "vmm", "kvm");

    public string Kvmrc => Path.Join(_root, "etc", "vmm", "kvm", "kvmrc");

    /// <summary>Extra environment of the action (e.g. <c>ONEKVM_VIRSH</c> for a stand-in virsh).</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>A <c>:vmm</c> step: the parameters quoted as <c>get_parameters</c> does, then <c>&lt;vm_id&gt; &lt;host&gt;</c>.</summary>
    public Task<OnedAnswer> ActionAsync(string action, string[] parameters, int vmId, string host = "localhost", string stdin = "") =>
        RawAsync(action, string.Join(' ', parameters.Select(p => $"'{p}'")) + $" {vmId} {host}", stdin);

    /// <summary>A step with the parameter string as given (<c>no_extra_params</c>, e.g. EXEC).</summary>
    public async Task<OnedAnswer> RawAsync(string action, string parameters, string stdin = "")
    {
        var commandLine = $"{Path.Join(RemotesDir, action)} {parameters}";
        var result = await Task.Run(() => Run("/bin/bash", ["-c", commandLine], stdin, Environment));
        return Interpret(result.ExitCode, result.Stdout, result.Stderr);
    }

    /// <summary><c>DriverExecHelper#get_info_from_execution</c>.</summary>
    internal static OnedAnswer Interpret(int exitCode, string stdout, string stderr)
    {
        var logs = new List<string>();
        var errInfo = new StringBuilder();
        foreach (var raw in stderr.Split('\n'))
        {
            var line = raw.Trim();
            var m = LogLine().Match(line);
            if (!m.Success)
            {
                errInfo.Append(line);
                continue;
            }
            var severity = m.Groups[1].Value[0];
            var id = m.Groups[2].Success ? m.Groups[2].Value : "-1";
            logs.Add($"LOG {severity} {id} {m.Groups[3].Value.Trim()}");
        }
        var info = exitCode == 0 ? stdout.Trim() : errInfo.ToString().Replace('\n', ' ').Trim();
        return new OnedAnswer(exitCode == 0 ? "SUCCESS" : "FAILURE", info.Length == 0 ? "-" : info, logs, exitCode, stdout, stderr);
    }

    internal static (int ExitCode, string Stdout, string Stderr) Run(string file, string[] args, string stdin, IReadOnlyDictionary<string, string> environment)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // An ssh session's environment: no locale, a plain PATH.
        var keep = new[] { "PATH", "HOME", "DOTNET_ROOT", "DOTNET_CLI_HOME" };
        foreach (var key in psi.Environment.Keys.ToList()) if (!keep.Contains(key)) psi.Environment.Remove(key);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdoutTask = p.StandardOutput.ReadToEndAsync();
        var stderrTask = p.StandardError.ReadToEndAsync();
        p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        if (!p.WaitForExit(300_000))
        {
            p.Kill(true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} hung");
        }
        return (p.ExitCode, stdoutTask.Result, stderrTask.Result);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [GeneratedRegex(@"^(ERROR|INFO|WARN|DEBUG):\s+(\d+)?\s*(.*)$")]
    private static partial Regex LogLine();
}
