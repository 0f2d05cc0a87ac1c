using Microsoft.Extensions.Logging;
using OneKvm.Collector.Configuration;
using OneKvm.Libvirt;

namespace OneKvm.Collector.Hosting;

/// <summary>
/// The log of the running command, for the libvirt debug view: with <c>--log-level debug</c> every
/// libvirt call is logged with its arguments, duration and result size (<see cref="Wrap"/>).
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

    /// <summary><paramref name="libvirt"/>, logging each call and its duration at debug level when a command log asks for it.</summary>
    public static ILibvirtClient Wrap(ILibvirtClient libvirt) =>
        current?.CreateLogger("onekvm.libvirt") is { } log && log.IsEnabled(LogLevel.Debug) ? new LoggingLibvirtClient(libvirt, log) : libvirt;

    /// <summary>The log for the native client's own connection messages (connected, lost), or null.</summary>
    public static ILogger<T>? LoggerFor<T>() => current?.CreateLogger<T>();

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
