using OneKvm.Driver.Actions;

namespace OneKvm.Driver;

/// <summary>The actions <c>onekvm-driver</c> implements, by upstream script name.</summary>
public static class ActionCatalog
{
    private const string DomainOnly = "<deploy_id> [<vm_id> <host>]";

    public static IReadOnlyList<DriverAction> All { get; } =
    [
        new DeployAction(),
        new ShutdownAction(),
        new CancelAction(),
        new VirshCommandAction("reboot", DomainOnly, 1, a => ["reboot", "--", a[0]], a => $"Could not reboot {a[0]}"),
        new VirshCommandAction("reset", DomainOnly, 1, a => ["reset", "--", a[0]], a => $"Could not reset {a[0]}"),
        new SaveAction(),
        new RestoreAction(),
        new MigrateAction(),
        new MigrateLocalAction(),
        new AttachDiskAction(),
        new DetachDiskAction(),
        new AttachNicAction(),
        new DetachNicAction(),
        new PrereconfigureAction(),
        new ReconfigureAction(),
        new ResizeAction(),
        new ResizeDiskAction(),
        new SnapshotCreateAction(),
        new SnapshotRevertAction(),
        new SnapshotDeleteAction(),
        new ExecAction(),
        new ExecCancelAction(),
    ];

    /// <summary>Internal commands the actions start themselves (no upstream script, no remotes file).</summary>
    public static IReadOnlyList<DriverAction> Internal { get; } = [new SyncTimeAction()];

    public static DriverAction? Find(string name) => All.Concat(Internal).FirstOrDefault(a => a.Name == name);
}
