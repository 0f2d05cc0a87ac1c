using OneKvm.Collector.Configuration;

namespace OneKvm.Collector.Commands;

/// <summary><c>onekvm-probe agent</c>. Not implemented yet: see the open issue.</summary>
public static class AgentCommand
{
    public static async Task<int> RunAsync(
        CommandLineArgs args, OneKvmOptions options, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        await stderr.WriteLineAsync("onekvm-probe: 'agent' is not implemented yet");
        return 2;
    }
}
