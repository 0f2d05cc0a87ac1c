using System.Reflection;

namespace OneKvm.Collector.Exporter;

/// <summary>The <c>onekvm_build_info</c> labels: version and the source revision (git commit) it was built from.</summary>
public sealed record BuildVersion(string Version, string Revision)
{
    /// <summary>
    /// From the assembly's informational version, which the SDK writes as <c>VERSION+COMMIT</c> when
    /// it builds from a git checkout; the revision is <c>unknown</c> otherwise.
    /// </summary>
    public static BuildVersion Of(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var version = assembly.GetName().Version?.ToString() ?? "unknown";
        if (informational is null) return new BuildVersion(version, "unknown");
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0
            ? new BuildVersion(informational, "unknown")
            : new BuildVersion(informational[..plus], informational[(plus + 1)..]);
    }
}
