using OneKvm.Probes.Host;
using OneKvm.Probes.Vm;

namespace OneKvm.Probes;

/// <summary>
/// The explicit list of categories, in upstream's start-up order. Adding a category is one file
/// plus one line here; nothing is found by reflection.
/// </summary>
public static class CategoryCatalog
{
    /// <summary>Every category, in the order <c>--once</c> prints them by default.</summary>
    public static IReadOnlyList<ICategory> All { get; } =
    [
        new SystemHostCategory(),
        new MonitorHostCategory(),
        new StateVmCategory(),
        new ExecVmCategory(),
        new MonitorVmCategory(),
        new SnapshotVmCategory(),
        new BeaconHostCategory(),
        new PollCategory(),
    ];

    /// <summary>
    /// Categories <c>--once</c> runs only when named: <c>poll</c> (needs <c>--vm</c>), and the two that
    /// act besides reporting and belong to monitord's agent: <c>exec_vm</c> removes the pid files of
    /// the results it reports, <c>snapshot_vm</c> creates recovery snapshots.
    /// </summary>
    public static IReadOnlySet<string> OnRequestOnly { get; } = new HashSet<string>(["poll", "exec_vm", "snapshot_vm"], StringComparer.Ordinal);

    /// <summary>Finds categories by their lower-case names; an unknown name is an error listing the known ones.</summary>
    public static IReadOnlyList<ICategory> Select(IEnumerable<string> names)
    {
        var selected = new List<ICategory>();
        foreach (var raw in names)
        {
            var name = raw.Trim().ToLowerInvariant();
            if (name.Length == 0) continue;
            var category = All.FirstOrDefault(c => c.Name == name)
                ?? throw new ArgumentException(
                    $"unknown category '{raw}' (known: {string.Join(", ", All.Select(c => c.Name))})");
            if (!selected.Contains(category)) selected.Add(category);
        }
        return selected;
    }
}
