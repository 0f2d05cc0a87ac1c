using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using OneKvm.Collector.Configuration;
using OneKvm.Libvirt.Runtime;

namespace OneKvm.Collector.Hosting;

/// <summary>
/// Runs <c>serve</c> or <c>agent</c> on Microsoft.Extensions.Hosting: under systemd with
/// <c>Type=notify</c> (READY=1 when the command says so — serve once it listens —, STOPPING=1 on SIGTERM) and journald's log format
/// (<c>&lt;4&gt;</c> priority prefixes), elsewhere single-line console logs with time and level. Logs
/// go to stderr only: the agent's stdout carries its start-up document. SIGTERM stops the command;
/// the host waits at most <see cref="ShutdownTimeout"/> for it.
/// </summary>
public static class DaemonHost
{
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs <paramref name="body"/> (the command, given the log as a text writer, one entry per line,
    /// the action telling systemd it is ready, and the stop token) until it ends or SIGTERM.
    /// </summary>
    public static async Task<int> RunAsync(string verb, OneKvmOptions options, Func<TextWriter, Action, CancellationToken, Task<int>> body)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = CliCommands.Program });
        var underSystemd = SystemdHelpers.IsSystemdService();
        builder.Logging.SetMinimumLevel(OptionsValidator.LogLevelOf(options.Logging.Level));
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        if (underSystemd)
        {
            builder.Services.AddSystemd(); // journald formatter and the notify lifetime
            builder.Services.AddSingleton(new ReadyGate(new SystemdNotifier()));
            builder.Services.AddSingleton<ISystemdNotifier>(sp => sp.GetRequiredService<ReadyGate>()); // the lifetime's READY=1 waits for the command
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffzzz ";
                o.IncludeScopes = false;
            });
            builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        }
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddSingleton(sp => new CommandService(verb, body, sp.GetRequiredService<IHostApplicationLifetime>(),
            sp.GetRequiredService<ILoggerFactory>(), sp.GetService<ReadyGate>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CommandService>());

        using var host = builder.Build();
        var factory = host.Services.GetRequiredService<ILoggerFactory>();
        using var logging = CommandLogging.Use(factory);
        if (StateDirectory.Problem(options.Probes.StateDirectory) is { } problem)
            factory.CreateLogger($"onekvm.{verb}").LogWarning("{Problem}", problem);
        var command = host.Services.GetRequiredService<CommandService>();
        await host.StartAsync();
        await host.WaitForShutdownAsync();
        return command.ExitCode;
    }

    /// <summary>The command as the host's one service; its end (or failure) stops the host.</summary>
    private sealed class CommandService(
        string verb, Func<TextWriter, Action, CancellationToken, Task<int>> body, IHostApplicationLifetime lifetime, ILoggerFactory loggers, ReadyGate? ready)
        : BackgroundService
    {
        private readonly ILogger _log = loggers.CreateLogger($"onekvm.{verb}");
        private volatile bool _finished;
        private int _exitCode = ExitCodes.Success;

        public int ExitCode => _finished ? _exitCode : ExitCodes.Failure;

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield(); // let the host finish starting (and tell systemd) while the command runs
            using var writer = new LogWriter(_log, $"{CliCommands.Program} {verb}: ");
            try
            {
                _exitCode = await body(writer, () => ready?.Ready(), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                _exitCode = ExitCodes.Success;
            }
            catch (Exception e)
            {
                _log.LogCritical("{Line}", LastResort.Line($"{CliCommands.Program} {verb}", e));
                _log.LogDebug(e, "internal error details");
                _exitCode = LastResort.ExitCode;
            }
            finally
            {
                _finished = true;
                lifetime.StopApplication();
            }
        }

        public override async Task StopAsync(CancellationToken cancellationToken)
        {
            await base.StopAsync(cancellationToken);
            if (!_finished) _log.LogError("did not stop within {Seconds} s", ShutdownTimeout.TotalSeconds);
        }
    }
}
