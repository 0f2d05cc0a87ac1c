using System.Diagnostics;
using System.Security.Cryptography;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Packaging;

/// <summary>
/// The release artefact as <c>scripts/publish.sh --deb</c> makes it, built once per source state:
/// kept in the temporary directory under a hash of <c>src/</c>, <c>packaging/</c> and the scripts, so
/// the second real-host pass (cgroup v2) reuses it.
/// </summary>
internal static class ReleaseArtefact
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>The output directory of publish.sh (tarball, .deb, staged tree).</summary>
    public static async Task<string> BuildAsync()
    {
        await Gate.WaitAsync();
        try
        {
            var dir = Path.Join(Path.GetTempPath(), $"onekvm-release-{SourceHash()}");
            if (Directory.Exists(dir) && Directory.GetFiles(dir, "*.deb").Length == 1 && Directory.GetFiles(dir, "*.tar.gz").Length == 1) return dir;
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            var (code, output) = await RunAsync("bash", [Path.Join(TestPaths.RepoRoot, "scripts", "publish.sh"), "--output", dir, "--deb"], TimeSpan.FromMinutes(15));
            code.ShouldBe(0, output);
            return dir;
        }
        finally
        {
            Gate.Release();
        }
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(
        string program, IEnumerable<string> args, TimeSpan timeout, IDictionary<string, string?>? environment = null, bool clearEnvironment = false)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        if (clearEnvironment) info.Environment.Clear();
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>()) info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string SourceHash()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var roots = new[] { "src", "packaging", "scripts", "Directory.Build.props", "Directory.Packages.props" }
            .Select(p => Path.Join(TestPaths.RepoRoot, p));
        var files = roots.SelectMany(r => File.Exists(r) ? [r] : Directory.EnumerateFiles(r, "*", SearchOption.AllDirectories))
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(file));
            hash.AppendData(File.ReadAllBytes(file));
        }
        return Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant();
    }
}
