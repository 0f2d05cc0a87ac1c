using OneKvm.Collector.Configuration;
using OneKvm.Libvirt;
using OneKvm.Libvirt.Domain;
using OneKvm.Probes;
using OneKvm.Probes.Forecast;
using OneKvm.Probes.OpenNebula;
using OneKvm.Probes.Sampling;

namespace OneKvm.Collector.Commands;

/// <summary>Builds the probe context from the bound options.</summary>
public static class ContextFactory
{
    /// <param name="options">The bound options.</param>
    /// <param name="libvirt">The process's libvirt client (<see cref="LibvirtClientFactory"/>).</param>
    /// <param name="sampleMaxAge">How long a domain snapshot is shared between consumers (<see cref="DomainSampler.MaxAge"/>).</param>
    /// <param name="time">The clock.</param>
    /// <param name="log">Where the probes' warnings go (the command's stderr).</param>
    public static ProbeContext Create(OneKvmOptions options, ILibvirtClient libvirt, TimeSpan sampleMaxAge, TimeProvider? time = null, TextWriter? log = null)
    {
        var clock = time ?? TimeProvider.System;
        // The entry (Program, DaemonHost) has said so once, naming the directory, when it cannot be written.
        var stateDirectoryReported = Hosting.StateDirectory.Problem(options.Probes.StateDirectory) is not null;
        var definitions = new DomainDefinitionCache(libvirt);
        return new ProbeContext
        {
            StateDirectoryReported = stateDirectoryReported,
            Paths = options.Paths,
            Libvirt = libvirt,
            Host = HostSampler.Create(LibvirtClientFactory.DomainSource(libvirt, options.Paths, clock), options.Paths, definitions, clock, sampleMaxAge),
            Definitions = definitions,
            Settings = options.Probes,
            Time = clock,
            Warn = message => (log ?? TextWriter.Null).WriteLine($"onekvm-probe: {message}"),
            Forecasts = new ForecastRecorder(
                new ForecastHistoryStore(Path.Join(options.Probes.StateDirectory, "forecast")),
                ForecastSettings.From(ProbeConfFile.Load(ForecastConfPath(options.Paths))),
                stateDirectoryReported ? null : message => (log ?? TextWriter.Null).WriteLine($"onekvm-probe: warning: {message}")),
        };
    }

    /// <summary>Upstream's <c>forecast.conf</c>, under the remotes' <c>etc/im/kvm-probes.d/</c>.</summary>
    public static string ForecastConfPath(OneKvm.Cgroups.HostPaths paths) => Path.Join(paths.Remotes, "etc", "im", "kvm-probes.d", "forecast.conf");
}
