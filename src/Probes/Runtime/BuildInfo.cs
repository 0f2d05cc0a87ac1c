using System.Reflection;

namespace OneKvm.Probes;

/// <summary>Version and commit of an executable, from its informational version (<c>0.1.0+COMMIT</c>).</summary>
public static class BuildInfo
{
    /// <summary><c>0.1.0 (commit 1a2e2ee0c3f4)</c>; <c>commit unknown</c> when it was built outside git.</summary>
    public static string Describe(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        if (plus < 0 || plus == informational.Length - 1) return $"{informational} (commit unknown)";
        var commit = informational[(plus + 1)..];
        return $"{informational[..plus]} (commit {(commit.Length > 12 ? commit[..12] : commit)})";
    }
}
