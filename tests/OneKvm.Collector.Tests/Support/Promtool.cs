using System.Diagnostics;

namespace OneKvm.Collector.Tests.Support;

/// <summary>Runs Debian's <c>promtool check metrics</c> on an exposition.</summary>
internal static class Promtool
{
    /// <summary>Runs <c>promtool ARGS</c> in <paramref name="workingDirectory"/>; exit code and combined output.</summary>
    public static (int ExitCode, string Output) Run(string? workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("promtool") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? "" };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Returns promtool's exit code and combined output.</summary>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition)
    {
        var info = new ProcessStartInfo("promtool") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("check");
        info.ArgumentList.Add("metrics");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
