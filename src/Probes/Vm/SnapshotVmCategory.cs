using OneKvm.Probes.Vm.Disks;

namespace OneKvm.Probes.Vm;

/// <summary>
/// The second <c>MONITOR_VM</c> category (upstream <c>vm/snapshot</c>, a fixed 60 s period): recovery
/// snapshots of disks on ssh system datastores (<see cref="SnapshotRecovery"/>). Needs no libvirt.
/// </summary>
public sealed class SnapshotVmCategory : ICategory
{
    public string Name => "snapshot_vm";

    public string MessageType => "MONITOR_VM";

    /// <summary>Upstream runs <c>vm/snapshot</c> every 60 s whatever MONITOR_VM's period.</summary>
    public TimeSpan? FixedPeriod => TimeSpan.FromSeconds(60);

    public Task<string> RenderAsync(ProbeContext context, CancellationToken cancellationToken) =>
        SnapshotRecovery.CollectAsync(context.Paths, TimeSpan.FromSeconds(50), cancellationToken);
}
