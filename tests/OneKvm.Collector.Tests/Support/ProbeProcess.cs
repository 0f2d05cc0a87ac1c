using System.Diagnostics;
using System.Text;

namespace OneKvm.Collector.Tests.Support;

/// <summary>The built <c>onekvm-probe</c> run as a real process (killed on dispose).</summary>
internal sealed class ProbeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private ProbeProcess(Process process) => _process = process;

    public static string Dll => Path.Join(AppContext.BaseDirectory, "onekvm-probe.dll");

    /// <summary>Starts <c>onekvm-probe ARGS</c>; <paramref name="stdin"/> is written and closed.</summary>
    public static ProbeProcess Start(IEnumerable<string> args, string? stdin = null, IDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["SSH_CLIENT"] = null;
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>()) info.Environment[key] = value;
        var process = Process.Start(info)!;
        var wrapper = new ProbeProcess(process);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (wrapper._stderr) wrapper._stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        if (stdin is not null) process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        return wrapper;
    }

    /// <summary>
    /// The agent with the shipped MONITOR_CONFIGURATION sending to a listener on 127.0.0.1:<paramref name="port"/>,
    /// MONITOR_VM every <paramref name="monitorVmSeconds"/>; kvmrc, one_db and state under <paramref name="directory"/>.
    /// </summary>
    public static ProbeProcess StartAgent(string directory, int port, int monitorVmSeconds, IEnumerable<string> extraArgs)
    {
        var configuration = Agent.MonitorConfigurationTests.Shipped
            .Replace("<PORT>4124</PORT>", $"<PORT>{port}</PORT>", StringComparison.Ordinal)
            .Replace("<MONITOR_ADDRESS>auto</MONITOR_ADDRESS>", "<MONITOR_ADDRESS>127.0.0.1</MONITOR_ADDRESS>", StringComparison.Ordinal)
            .Replace("<MONITOR_VM>30</MONITOR_VM>", $"<MONITOR_VM>{monitorVmSeconds}</MONITOR_VM>", StringComparison.Ordinal);
        return Start(
            ["agent", "--kvmrc", Path.Join(directory, "kvmrc"), $"--Agent:DbDirectory={Path.Join(directory, "one_db")}",
             "--state-dir", Path.Join(directory, "agent-state"), .. extraArgs],
            configuration);
    }

    public Process Process => _process;

    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    /// <summary>Reads stdout to end of file (the agent detaches it after the start-up document).</summary>
    public async Task<string> ReadStdoutToEndAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        return await _process.StandardOutput.ReadToEndAsync(limit.Token);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(limit.Token);
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM (graceful stop) and waits.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
        return await WaitForExitAsync(timeout);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
