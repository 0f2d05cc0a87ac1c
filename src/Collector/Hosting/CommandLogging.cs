using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OneKvm.Collector.Configuration;
using OneKvm.Probes.Virsh;

namespace OneKvm.Collector.Hosting;

/// <summary>
/// The log of the running command, for the libvirt debug view: with <c>--log-level debug</c> every
/// virsh call is logged with its arguments, duration and output size (<see cref="Wrap"/>).
/// </summary>
public static class CommandLogging
{
    private static ILoggerFactory? current;

    /// <summary>Makes <paramref name="factory"/> the log of the command until disposed.</summary>
    public static IDisposable Use(ILoggerFactory factory)
    {
        current = factory;
        return new Reset(factory);
    }

    /// <summary>For <c>--once</c> and <c>cgroups</c>: a stderr log, only when the level asks for debug output.</summary>
    public static IDisposable? ForCommand(OneKvmOptions options)
    {
        var level = OptionsValidator.LogLevelOf(options.Logging.Level);
        if (level > LogLevel.Debug) return null;
        var factory = LoggerFactory.Create(b => b
            .SetMinimumLevel(level)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffzzz ";
            })
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        var use = Use(factory);
        return new Both(use, factory);
    }

    /// <summary><paramref name="virsh"/>, logging each call at debug level when a command log is in use.</summary>
    public static IVirsh Wrap(IVirsh virsh) =>
        current?.CreateLogger("onekvm.libvirt") is { } log && log.IsEnabled(LogLevel.Debug) ? new LoggingVirsh(virsh, log) : virsh;

    private sealed class LoggingVirsh(IVirsh inner, ILogger log) : IVirsh
    {
        public string Uri => inner.Uri;

        public async Task<string> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                var output = await inner.RunAsync(args, cancellationToken);
                log.LogDebug("virsh {Arguments}: {Milliseconds:0.0} ms, {Bytes} bytes", string.Join(' ', args),
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds, output.Length);
                return output;
            }
            catch (VirshException e)
            {
                log.LogDebug("virsh {Arguments}: failed after {Milliseconds:0.0} ms: {Error}", string.Join(' ', args),
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds, e.Message);
                throw;
            }
        }
    }

    private sealed class Reset(ILoggerFactory factory) : IDisposable
    {
        public void Dispose() => Interlocked.CompareExchange(ref current, null, factory);
    }

    private sealed class Both(IDisposable first, IDisposable second) : IDisposable
    {
        public void Dispose()
        {
            first.Dispose();
            second.Dispose();
        }
    }
}
