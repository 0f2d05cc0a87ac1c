using OneKvm.Collector;
using OneKvm.Collector.Commands;
using OneKvm.Collector.Configuration;
using OneKvm.Collector.Hosting;
using OneKvm.Libvirt.Runtime;

AppDomain.CurrentDomain.UnhandledException += (_, e) => LastResort.Exit(CliCommands.Program, e.ExceptionObject, Console.Error);
return await Entry.RunAsync(args, Console.Out, Console.Error);

namespace OneKvm.Collector
{
    /// <summary>
    /// Parses the command line, loads and checks the configuration and dispatches to a command.
    /// Exit codes: 0 ok, 1 failure, 2 usage or configuration, 70 internal error, 130 interrupted.
    /// </summary>
    public static class Entry
    {
        public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) =>
            RunAsync(args, stdout, stderr, TimeProvider.System);

        /// <summary>As above with the clock of the probes injected (golden tests pass a fixed clock).</summary>
        public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider time)
        {
            try
            {
                return await RunCheckedAsync(args, stdout, stderr, time);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LastResort.Report(CliCommands.Program, e, stderr);
                return ExitCodes.InternalError;
            }
        }

        private static async Task<int> RunCheckedAsync(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider time)
        {
            CommandLineArgs parsed;
            OneKvmOptions options;
            try
            {
                parsed = CommandLineArgs.Parse(args);
                if (parsed.HelpTopic is { } topic)
                {
                    HelpText.Write(topic, stdout);
                    return ExitCodes.Success;
                }
                if (parsed.Has("version"))
                {
                    await stdout.WriteLineAsync($"{CliCommands.Program} {BuildInfo.Describe(typeof(Entry).Assembly)}");
                    return ExitCodes.Success;
                }
                if (parsed.Verb is null && !parsed.Has("once"))
                    throw new UsageException("nothing to do: give --once, or a command: agent, serve, cgroups, targets (see --help)");
                if (parsed.Verb == "targets") return await TargetsCommand.RunAsync(parsed, Console.In, stdout, stderr); // no host configuration needed
                options = ConfigurationLoader.Load(parsed);
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException or FormatException or IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"{CliCommands.Program}: {e.Message}");
                return ExitCodes.Usage;
            }

            if (parsed.Verb is "serve" or "agent")
            {
                return await DaemonHost.RunAsync(parsed.Verb, options, (log, ready, token) =>
                {
                    if (parsed.Verb == "serve") return ServeCommand.RunAsync(parsed, options, stdout, log, token, listening: ready);
                    ready();
                    return AgentCommand.RunAsync(parsed, options, stdout, log, token);
                });
            }

            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                cancel.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            using var logging = CommandLogging.ForCommand(options);
            try
            {
                if (parsed.Verb is null && StateDirectory.Problem(options.Probes.StateDirectory) is { } problem)
                    await stderr.WriteLineAsync($"{CliCommands.Program}: warning: {problem}");
                return parsed.Verb switch
                {
                    null => await OnceCommand.RunAsync(parsed, options, stdout, stderr, cancel.Token, time),
                    _ => await CgroupsCommand.RunAsync(parsed, options, stdout, stderr, cancel.Token),
                };
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                return ExitCodes.Interrupted;
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        }
    }

    /// <summary>The exit codes of <c>onekvm-probe</c> (documented in <c>--help</c> and the README).</summary>
    public static class ExitCodes
    {
        public const int Success = 0;
        public const int Failure = 1;
        public const int Usage = 2;

        /// <summary>An unexpected exception (EX_SOFTWARE of sysexits.h): one line on stderr, a log entry for daemons.</summary>
        public const int InternalError = LastResort.ExitCode;

        public const int Interrupted = 130;
    }
}
