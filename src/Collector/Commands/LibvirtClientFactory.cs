using OneKvm.Collector.Configuration;
using OneKvm.Libvirt;
using OneKvm.Libvirt.Replay;

namespace OneKvm.Collector.Commands;

/// <summary>The process's one libvirt client: the connection to <c>Libvirt:Uri</c>, or the recording of <c>Libvirt:Replay</c>.</summary>
public static class LibvirtClientFactory
{
    /// <exception cref="LibvirtException">the recording cannot be read.</exception>
    public static ILibvirtClient Create(LibvirtOptions options, TimeProvider time)
    {
        var deadline = TimeSpan.FromSeconds(options.TimeoutSeconds);
        if (options.Replay is { } file) return Hosting.CommandLogging.Wrap(ReplayLibvirtClient.FromFile(file, time, deadline));
        return Hosting.CommandLogging.Wrap(new NativeLibvirtClient(new LibvirtClientOptions { Uri = options.Uri, CallTimeout = deadline },
            Hosting.CommandLogging.LoggerFor<NativeLibvirtClient>(), time));
    }
}
