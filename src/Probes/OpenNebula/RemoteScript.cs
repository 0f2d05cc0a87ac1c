using System.Diagnostics;
using System.Globalization;

namespace OneKvm.Probes.OpenNebula;

/// <summary>
/// Runs one of OpenNebula's remote scripts (a TM driver's <c>monitor_ds</c>,
/// <c>recovery_snap_create_live</c>): an argument array, <c>LC_ALL=C</c>, a deadline after which the
/// whole process tree is killed (so a grandchild holding the output pipe cannot block), and the
/// script's own words on failure.
/// </summary>
public static class RemoteScript
{
    public static async Task<(bool Ok, string Output, string Error)> RunAsync(
        string script, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(script) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) psi.ArgumentList.Add(argument);
        psi.Environment["LC_ALL"] = "C";
        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (false, "", $"cannot run: {e.Message}");
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            var output = await stdout;
            var error = (await stderr).Trim();
            return process.ExitCode == 0
                ? (true, output, "")
                : (false, output, $"exit {process.ExitCode}{(error.Length > 0 ? ": " + error : "")}");
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested) throw;
            return (false, "", $"did not finish within {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s");
        }
    }
}
