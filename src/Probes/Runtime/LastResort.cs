namespace OneKvm.Probes;

/// <summary>
/// The last-resort handler of both executables: an exception nobody expected becomes one line on
/// stderr and exit status 70 (EX_SOFTWARE), never a stack trace.
/// </summary>
public static class LastResort
{
    public const int ExitCode = 70;

    /// <summary>Set to 1 to have the full exception written after the line (for a bug report).</summary>
    public const string TraceVariable = "ONEKVM_TRACE";

    /// <summary><c>onekvm-probe: internal error: NullReferenceException: … (exit 70)</c>.</summary>
    public static string Line(string program, object exception)
    {
        var (type, message) = exception is Exception e ? (e.GetType().Name, e.Message) : ("unknown", exception.ToString() ?? "");
        var firstLine = message.Split('\n', 2)[0].TrimEnd('\r');
        return $"{program}: internal error: {type}: {firstLine} (exit {ExitCode}; please report it)";
    }

    /// <summary>Writes the line (and, with <c>ONEKVM_TRACE=1</c>, the whole exception).</summary>
    public static void Report(string program, object exception, TextWriter stderr)
    {
        stderr.WriteLine(Line(program, exception));
        if (Environment.GetEnvironmentVariable(TraceVariable) == "1") stderr.WriteLine(exception);
    }

    /// <summary>For <see cref="AppDomain.UnhandledException"/>: writes the line and ends the process before the runtime prints the trace.</summary>
    public static void Exit(string program, object exception, TextWriter stderr)
    {
        try
        {
            Report(program, exception, stderr);
            stderr.Flush();
        }
        finally
        {
            Environment.Exit(ExitCode);
        }
    }
}
