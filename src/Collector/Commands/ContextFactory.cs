using OneKvm.Collector.Configuration;
using OneKvm.Probes;
using OneKvm.Probes.Virsh;

namespace OneKvm.Collector.Commands;

/// <summary>Builds the probe context from the bound options.</summary>
public static class ContextFactory
{
    public static ProbeContext Create(OneKvmOptions options, TimeProvider? time = null) => new()
    {
        Paths = options.Paths,
        Virsh = Hosting.CommandLogging.Wrap(new VirshCli(options.Libvirt)),
        Settings = options.Probes,
        Time = time ?? TimeProvider.System,
    };
}
