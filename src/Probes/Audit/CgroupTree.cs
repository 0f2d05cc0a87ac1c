using System.Globalization;
using OneKvm.Cgroups.Shares;

namespace OneKvm.Probes.Audit;

/// <summary>
/// The cgroup tree of the cpu controller below the VMs' parent (<c>machine</c> / <c>machine.slice</c>),
/// like the example of OpenNebula's KVM guide: every VM directory with its applied share and the
/// domain it belongs to, and its thread groups (<c>emulator</c>, <c>vcpuN</c>, <c>libvirt/</c>).
/// </summary>
public static class CgroupTree
{
    private const int MaxDepth = 3;

    /// <summary>Null when no VM directory was found.</summary>
    public static CgroupTreeNode? Build(CgroupReport report)
    {
        var vmDirs = report.Vms.Where(v => v.Sample?.Paths.Cpu is not null).ToList();
        if (vmDirs.Count == 0 || vmDirs[0].Sample!.Paths.Cpu!.Parent() is not { } parent) return null;
        var byPath = vmDirs.ToDictionary(v => v.Sample!.Paths.Cpu!.Path, StringComparer.Ordinal);
        var file = CpuShares.FileName(parent.Version);
        var own = OneKvm.Cgroups.KernelFile.ReadValueOrNull(parent.File(file));
        return new CgroupTreeNode(parent.HostPath, own is null ? null : $"{file} {own}", Children(parent.Path, 1, byPath, file));
    }

    private static List<CgroupTreeNode> Children(string path, int depth, Dictionary<string, VmCgroupReport> vms, string file)
    {
        if (depth > MaxDepth) return [];
        List<string> dirs;
        try
        {
            dirs = Directory.EnumerateDirectories(path).Order(StringComparer.Ordinal).ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return []; // a domain stopped while the tree was listed
        }
        return dirs
            .Select(dir =>
            {
                string? note = null;
                if (vms.TryGetValue(dir, out var vm))
                {
                    var applied = vm.AppliedShares?.ToString(CultureInfo.InvariantCulture) ?? "?";
                    var expected = vm.PromisedShares?.ToString(CultureInfo.InvariantCulture);
                    note = $"{file} {applied}  {vm.Domain}" + (expected is null ? "" : $", promised {expected}") + (vm.Drift == true ? "  DRIFT" : "");
                }
                return new CgroupTreeNode(Path.GetFileName(dir), note, Children(dir, vm is null && depth == 1 ? MaxDepth : depth + 1, vms, file));
            })
            .ToList();
    }
}
