using System.Reflection;

namespace OneKvm.Tests;

/// <summary>Locates the source tree, so fixtures are read in place (copying loses symlinks and \x2d names).</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = typeof(TestPaths).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "OneKvmRepoRoot").Value!;

    public static string Fixtures => Path.Join(RepoRoot, "tests", "fixtures");

    public static string Host(string scenario) => Path.Join(Fixtures, "hosts", scenario);
}
