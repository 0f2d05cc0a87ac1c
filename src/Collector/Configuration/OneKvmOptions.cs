using OneKvm.Cgroups;
using OneKvm.Probes;
using OneKvm.Probes.Virsh;

namespace OneKvm.Collector.Configuration;

/// <summary>The whole configuration, bound from the layered sources (see <see cref="ConfigurationLoader"/>).</summary>
public sealed record OneKvmOptions
{
    /// <summary>Kernel and OpenNebula paths; <c>Paths:Root</c> re-roots all of them at once.</summary>
    public HostPaths Paths { get; init; } = HostPaths.Default;

    public VirshOptions Libvirt { get; init; } = new();

    public ProbeSettings Probes { get; init; } = new();

    /// <summary>Listen address and exporter switches of <c>serve</c>.</summary>
    public ServeOptions Serve { get; init; } = new();

    /// <summary>Host reservations (host template values; oned's syntax: absolute, <c>N%</c>, negative).</summary>
    public HostReservationOptions Host { get; init; } = new();

    /// <summary>Settings of <c>onekvm-probe cgroups</c> (usage window, starved/noisy margins).</summary>
    public OneKvm.Probes.Cgroups.CgroupAuditSettings Cgroups { get; init; } = new();
}

/// <summary>Options of <c>onekvm-probe serve</c>.</summary>
public sealed record ServeOptions
{
    /// <summary><c>ADDRESS:PORT</c>; 9926 replaces OpenNebula's libvirt exporter.</summary>
    public string Listen { get; init; } = "0.0.0.0:9926";

    /// <summary>Export the upstream-compatible <c>opennebula_libvirt_*</c> families.</summary>
    public bool OpenNebulaLibvirtMetrics { get; init; } = true;
}

/// <summary><c>RESERVED_CPU</c> / <c>RESERVED_MEM</c> as written in the host or cluster template.</summary>
public sealed record HostReservationOptions
{
    public string? ReservedCpu { get; init; }

    public string? ReservedMem { get; init; }
}
