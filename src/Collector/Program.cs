using OneKvm.Collector;
using OneKvm.Collector.Commands;
using OneKvm.Collector.Configuration;

return await Entry.RunAsync(args, Console.Out, Console.Error);

namespace OneKvm.Collector
{
    /// <summary>Parses the command line and dispatches to a command. Exit codes: 0 ok, 1 failure, 2 usage.</summary>
    public static class Entry
    {
        public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) =>
            RunAsync(args, stdout, stderr, TimeProvider.System);

        /// <summary>As above with the clock of the probes injected (golden tests pass a fixed clock).</summary>
        public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider time)
        {
            CommandLineArgs parsed;
            try
            {
                parsed = CommandLineArgs.Parse(args);
            }
            catch (ArgumentException e)
            {
                await stderr.WriteLineAsync($"onekvm-probe: {e.Message}");
                return 2;
            }

            if (parsed.Has("help") || parsed.Verb == "help")
            {
                await stdout.WriteAsync(HelpText.For(parsed.Verb == "help" ? null : parsed.Verb));
                return 0;
            }
            if (parsed.Has("version"))
            {
                await stdout.WriteLineAsync($"onekvm-probe {typeof(Entry).Assembly.GetName().Version}");
                return 0;
            }
            if (parsed.Verb == "targets") return await TargetsCommand.RunAsync(parsed, Console.In, stdout, stderr); // no host configuration needed
            if (parsed.Verb is null && !parsed.Has("once"))
            {
                await stderr.WriteLineAsync("onekvm-probe: nothing to do: give --once, or a command: agent, serve, cgroups, targets (see --help)");
                return 2;
            }

            OneKvmOptions options;
            try
            {
                options = ConfigurationLoader.Load(parsed);
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or FileNotFoundException or IOException)
            {
                await stderr.WriteLineAsync($"onekvm-probe: {e.Message}");
                return 2;
            }

            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                cancel.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            try
            {
                return parsed.Verb switch
                {
                    null => await OnceCommand.RunAsync(parsed, options, stdout, stderr, cancel.Token, time),
                    "agent" => await AgentCommand.RunAsync(parsed, options, stdout, stderr, cancel.Token),
                    "serve" => await ServeCommand.RunAsync(parsed, options, stdout, stderr, cancel.Token),
                    "cgroups" => await CgroupsCommand.RunAsync(parsed, options, stdout, stderr, cancel.Token),
                    _ => 2,
                };
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                return 130;
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        }
    }
}
