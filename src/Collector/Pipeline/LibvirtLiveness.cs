using OneKvm.Probes.Virsh;

namespace OneKvm.Collector.Pipeline;

/// <summary>The libvirt daemon answered (sample of the <c>libvirt</c> source); the version line as virsh printed it.</summary>
public sealed record LibvirtAlive(string DaemonVersion);

/// <summary>The <c>libvirt</c> source: one <c>virsh version --daemon</c>, which needs a live connection.</summary>
public static class LibvirtLiveness
{
    public const string SourceName = "libvirt";

    public static ProbeSource Source(IVirsh virsh, TimeSpan period, TimeSpan? timeout = null) =>
        new(SourceName, period, timeout ?? ProbeSource.DefaultTimeout(period), async ct =>
        {
            var output = await virsh.RunAsync(["version", "--daemon"], ct);
            return new LibvirtAlive(ParseDaemonVersion(output));
        });

    /// <summary>
    /// The daemon line of <c>virsh version --daemon</c>, e.g. <c>Running against daemon: 9.0.0</c> →
    /// <c>9.0.0</c>; empty when absent.
    /// </summary>
    public static string ParseDaemonVersion(string output) =>
        output.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("Running against daemon:", StringComparison.Ordinal))
            .Select(l => l["Running against daemon:".Length..].Trim())
            .FirstOrDefault() ?? "";
}
