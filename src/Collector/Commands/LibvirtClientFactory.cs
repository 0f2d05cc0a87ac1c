using OneKvm.Collector.Configuration;
using OneKvm.Libvirt;
using OneKvm.Collector.Sharing;
using OneKvm.Libvirt.Replay;

namespace OneKvm.Collector.Commands;

/// <summary>The process's one libvirt client: the connection to <c>Libvirt:Uri</c>, or the recording of <c>Libvirt:Replay</c>.</summary>
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
            return Hosting.CommandLogging.Wrap(new SocketLibvirtClient(socket, options.Uri, deadline));
        if (options.Replay is { } file) return Hosting.CommandLogging.Wrap(ReplayLibvirtClient.FromFile(file, time, deadline));
        return Hosting.CommandLogging.Wrap(new NativeLibvirtClient(new LibvirtClientOptions { Uri = options.Uri, CallTimeout = deadline },
            Hosting.CommandLogging.LoggerFor<NativeLibvirtClient>(), time));
    }
}
