using OneKvm.Driver.Actions;

namespace OneKvm.Driver;

/// <summary>The actions <c>onekvm-driver</c> implements, by upstream script name.</summary>
public static class ActionCatalog
{
    private const string DomainOnly = "<deploy_id> [<vm_id> <host>]";
    private const string WithSnapshot = "<deploy_id> <hypervisor_id> [<vm_id> <host>]";

    public static IReadOnlyList<DriverAction> All { get; } =
    [
        new DeployAction(),
        new ShutdownAction(),
        new CancelAction(),
        new VirshCommandAction("reboot", DomainOnly, 1, a => ["reboot", a[0]], a => $"Could not reboot {a[0]}"),
        new VirshCommandAction("reset", DomainOnly, 1, a => ["reset", a[0]], a => $"Could not reset {a[0]}"),
        new SaveAction(),
        new RestoreAction(),
        new MigrateAction(),
        new AttachDiskAction(),
        new DetachDiskAction(),
        new AttachNicAction(),
        new DetachNicAction(),
        new SnapshotCreateAction(),
        new VirshCommandAction("snapshot_revert", WithSnapshot, 2,
            a => ["snapshot-revert", "--force", a[0], a[1]], a => $"Could not revert {a[0]} to {a[1]}"),
        new VirshCommandAction("snapshot_delete", WithSnapshot, 2,
            a => ["snapshot-delete", a[0], a[1]], a => $"Could not delete snapshot {a[1]} of {a[0]}"),
    ];

    public static DriverAction? Find(string name) => All.FirstOrDefault(a => a.Name == name);
}
