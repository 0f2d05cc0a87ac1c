using OneKvm.Libvirt;

namespace OneKvm.Collector.Pipeline;

/// <summary>The libvirt daemon answered (sample of the <c>libvirt</c> source), with its version.</summary>
public sealed record LibvirtAlive(string DaemonVersion);

/// <summary>The <c>libvirt</c> source: the daemon's version, a call that needs a live connection.</summary>
public static class LibvirtLiveness
{
    public const string SourceName = "libvirt";

    public static ProbeSource<LibvirtAlive> Source(ILibvirtClient libvirt, TimeSpan period, TimeSpan? timeout = null) =>
        new(SourceName, period, timeout ?? ProbeSource.DefaultTimeout(period), async ct =>
        {
            var version = await libvirt.GetVersionAsync(ct);
            var d = version.Daemon;
            return new LibvirtAlive(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{d.Major}.{d.Minor}.{Math.Max(d.Build, 0)}"));
        });
}
