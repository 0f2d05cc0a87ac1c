using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Once;

/// <summary>What one <c>Entry.RunAsync</c> left behind.</summary>
internal sealed record OnceResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// Runs the real entry point in-process over a fixture host, libvirt replayed from the scenario's
/// recording (<c>--Libvirt:Replay</c>). Tests that change the process environment are in the
/// non-parallel <see cref="ProcessEnvironmentTests"/>.
/// </summary>
internal static class OnceRunner
{
    /// <summary>Arguments that point every path of <c>--once</c> at <paramref name="scenario"/>, libvirt at its recording <paramref name="recording"/>.</summary>
    public static string[] FixtureArgs(string scenario, string stateDir, string recording = "libvirt.json") =>
    [
        "--root", TestPaths.Host(scenario),
        "--kvmrc", Path.Join(TestPaths.Host(scenario), "var", "tmp", "one", "etc", "vmm", "kvm", "kvmrc"),
        $"--Libvirt:Replay={Path.Join(TestPaths.Host(scenario), recording)}",
        "--state-dir", stateDir,
    ];

    public static async Task<OnceResult> RunAsync(string[] args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var saved = new Dictionary<string, string?>();
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            saved[key] = Environment.GetEnvironmentVariable(key);
            Environment.SetEnvironmentVariable(key, value);
        }
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = await Entry.RunAsync(args, stdout, stderr);
            return new OnceResult(code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            foreach (var (key, value) in saved) Environment.SetEnvironmentVariable(key, value);
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentTests
{
    public const string Name = "process environment";
}
