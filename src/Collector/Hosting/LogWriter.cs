using System.Text;
using Microsoft.Extensions.Logging;

namespace OneKvm.Collector.Hosting;

/// <summary>
/// The text writer the daemons' commands report on: each line becomes one log entry. A line that
/// says something failed (<c>failed</c>, <c>cannot</c>, <c>error</c>) is a warning, others are
/// information; the command's <c>onekvm-probe serve: </c> prefix is dropped (the category says it).
/// </summary>
public sealed class LogWriter(ILogger log, string prefix) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_line)
        {
            if (value == '\n') Flush(_line.ToString());
            else if (value != '\r') _line.Append(value);
            if (value == '\n') _line.Clear();
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? "") Write(c);
    }

    public override void WriteLine(string? value)
    {
        Write(value);
        Write('\n');
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    private void Flush(string line)
    {
        if (line.Length == 0) return;
        if (line.StartsWith(prefix, StringComparison.Ordinal)) line = line[prefix.Length..];
        var failure = line.Contains("failed", StringComparison.OrdinalIgnoreCase)
            || line.Contains("cannot", StringComparison.OrdinalIgnoreCase)
            || line.Contains("error", StringComparison.OrdinalIgnoreCase);
        log.Log(failure ? LogLevel.Warning : LogLevel.Information, "{Line}", line);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_line)
            {
                Flush(_line.ToString());
                _line.Clear();
            }
        }
        base.Dispose(disposing);
    }
}
