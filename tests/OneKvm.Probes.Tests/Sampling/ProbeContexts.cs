using OneKvm.Cgroups;
using OneKvm.Libvirt.Replay;
using OneKvm.Probes.Sampling;

namespace OneKvm.Probes.Tests.Sampling;

/// <summary>Probe contexts over a replayed libvirt recording.</summary>
internal static class ProbeContexts
{
    /// <summary>
    /// A context answering libvirt calls from <paramref name="recording"/> (none recorded: every call
    /// fails as not recorded) whose host sources are shared for <paramref name="maxAge"/> (default: every read anew).
    /// </summary>
    public static ProbeContext Replay(HostPaths paths, ProbeSettings settings, LibvirtRecording? recording = null, TimeProvider? time = null, TimeSpan? maxAge = null)
    {
        var clock = time ?? TimeProvider.System;
        var libvirt = new ReplayLibvirtClient(recording ?? new LibvirtRecording(), clock, TimeSpan.FromSeconds(2));
        var definitions = new OneKvm.Libvirt.Domain.DomainDefinitionCache(libvirt);
        return new ProbeContext
        {
            Paths = paths,
            Libvirt = libvirt,
            Definitions = definitions,
            Host = HostSampler.Create(libvirt, paths, definitions, clock, maxAge ?? TimeSpan.Zero),
            Settings = settings,
            Time = clock,
        };
    }
}
