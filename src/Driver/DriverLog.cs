namespace OneKvm.Driver;

/// <summary>
/// Writes stderr in the convention one_vmm_exec reads: <c>INFO: text</c>, <c>WARN: …</c>,
/// <c>DEBUG: …</c> become <c>LOG</c> messages; <c>ERROR: &lt;action&gt;: text</c> is the failure info.
/// </summary>
public sealed class DriverLog(TextWriter stderr, string action)
{
    public void Info(string message) => stderr.WriteLine($"INFO: {action}: {message}");

    public void Warn(string message) => stderr.WriteLine($"WARN: {action}: {message}");

    public void Debug(string message) => stderr.WriteLine($"DEBUG: {action}: {message}");

    /// <summary>The one line oned shows as the VM's error.</summary>
    public void Error(string message) => stderr.WriteLine($"ERROR: {action}: {message}");
}
