using OneKvm.Collector.Configuration;
using OneKvm.Libvirt;
using OneKvm.Collector.Sharing;
using OneKvm.Libvirt.Replay;
using OneKvm.Probes.Sampling;

namespace OneKvm.Collector.Commands;

/// <summary>
/// The process's one libvirt client and where its domain snapshots come from: the host daemon's
/// socket when a daemon answers there (its libvirt and its snapshots, the process's own connection
/// only while the daemon stops answering: <see cref="DaemonLibvirtClient"/>), else the connection to
/// <c>Libvirt:Uri</c> or the recording of <c>Libvirt:Replay</c>.
/// </summary>
public static class LibvirtClientFactory
{
    /// <param name="options">The libvirt options.</param>
    /// <param name="time">The clock.</param>
    /// <param name="viaDaemon">Use the host daemon's socket when a daemon answers there (not for the daemon itself).</param>
    /// <exception cref="LibvirtException">the recording cannot be read.</exception>
    public static ILibvirtClient Create(LibvirtOptions options, TimeProvider time, bool viaDaemon = true)
    {
        var deadline = TimeSpan.FromSeconds(options.TimeoutSeconds);
        if (viaDaemon && options.ResolvedSamplerSocket is { } socket && SocketLibvirtClient.Answers(socket))
        {
            return new DaemonLibvirtClient(new SocketLibvirtClient(socket, options.Uri, deadline), () => Own(options, time, deadline),
                Hosting.CommandLogging.LoggerFor<DaemonLibvirtClient>());
        }
        return Own(options, time, deadline);
    }

    /// <summary>
    /// The domain snapshots of a process whose libvirt is <paramref name="libvirt"/>: the daemon's
    /// (with its CPU and memory figures) when the client is the daemon's, else the process's own reads.
    /// </summary>
    public static IDomainSnapshotSource DomainSource(ILibvirtClient libvirt, OneKvm.Cgroups.HostPaths paths, TimeProvider time) =>
        libvirt is DaemonLibvirtClient daemon ? new DaemonSnapshotSource(daemon, time, paths) : new LocalDomainSnapshotSource(libvirt, time, paths);

    private static ILibvirtClient Own(LibvirtOptions options, TimeProvider time, TimeSpan deadline)
    {
        if (options.Replay is { } file) return Hosting.CommandLogging.Wrap(ReplayLibvirtClient.FromFile(file, time, deadline));
        return Hosting.CommandLogging.Wrap(new NativeLibvirtClient(new LibvirtClientOptions { Uri = options.Uri, CallTimeout = deadline },
            Hosting.CommandLogging.LoggerFor<NativeLibvirtClient>(), time));
    }
}
