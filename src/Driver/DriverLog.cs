namespace OneKvm.Driver;

/// <summary>
/// stderr in the convention one_vmm_exec reads (<c>DriverExecHelper#get_info_from_execution</c>):
/// <c>ERROR:</c> / <c>INFO:</c> / <c>WARN:</c> / <c>DEBUG:</c> lines become <c>LOG</c> messages in the VM log;
/// every other line is failure info, glued together (no separator) into the text oned shows. So the
/// failure reason is written once, as one plain line (<see cref="Failure"/>).
/// </summary>
public sealed class DriverLog(TextWriter stderr, string action)
{
    public void Info(string message) => stderr.WriteLine($"INFO: {action}: {OneLine(message)}");

    public void Warn(string message) => stderr.WriteLine($"WARN: {action}: {OneLine(message)}");

    public void Debug(string message) => stderr.WriteLine($"DEBUG: {action}: {OneLine(message)}");

    /// <summary>A log entry of severity E (e.g. the failed command and virsh's full answer).</summary>
    public void Error(string message) => stderr.WriteLine($"ERROR: {action}: {OneLine(message)}");

    /// <summary>The failure reason oned puts in the VM's error: one plain line.</summary>
    public void Failure(string message)
    {
        var line = OneLine(message);
        // A reason that looks like a log line would be taken as one; upstream's error_message has the same trap.
        if (System.Text.RegularExpressions.Regex.IsMatch(line, "^(ERROR|INFO|WARN|DEBUG):")) line = $"{action}: {line}";
        stderr.WriteLine(line);
    }

    internal static string OneLine(string text) =>
        string.Join("; ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
