using OneKvm.Cgroups.Proc;

namespace OneKvm.Cgroups.Layout;

/// <summary>
/// The host's cgroup mounts and what follows from them: the mode, where
/// each controller lives, whether libvirt uses the cgroup2 tree, and which scale the VM CPU weights
/// are on. Built from mountinfo only; no mount point is hard-coded.
/// </summary>
public sealed record CgroupLayout
{
    public required CgroupMode Mode { get; init; }

    /// <summary>Every v1 hierarchy, in mountinfo order.</summary>
    public required IReadOnlyList<CgroupHierarchy> V1 { get; init; }

    /// <summary>The cgroup2 hierarchy, or null when none is mounted.</summary>
    public CgroupHierarchy? V2 { get; init; }

    /// <summary>
    /// libvirt's rule (<c>virCgroupV2Available</c>): it uses the cgroup2 backend only when the cgroup2
    /// root's <c>cgroup.controllers</c> is non-empty.
    /// </summary>
    public bool LibvirtUsesV2 => V2 is { Controllers.Count: > 0 };

    /// <summary>The hierarchy that serves the <c>cpu</c> controller (shares / weight), or null.</summary>
    public CgroupHierarchy? Cpu => V1Of("cpu") ?? (V2 is { } v2 && v2.Has("cpu") ? v2 : null);

    /// <summary>The v1 <c>cpuacct</c> hierarchy, or null (always null on pure v2).</summary>
    public CgroupHierarchy? Cpuacct => V1Of("cpuacct");

    /// <summary>True when <c>cpu</c> and <c>cpuacct</c> share one v1 mount (<c>cpu,cpuacct</c>).</summary>
    public bool CpuJoinedWithCpuacct => V1Of("cpu") is { } cpu && cpu.Has("cpuacct");

    /// <summary>Scale of the VM CPU weights the kernel applies: v1 <c>cpu.shares</c> or v2 <c>cpu.weight</c>; null without a cpu controller.</summary>
    public CgroupVersion? CpuVersion => Cpu?.Version;

    /// <summary>
    /// What OpenNebula's <c>CGROUPS_VERSION</c> probe reports for this host: 1 whenever any v1 hierarchy
    /// is mounted (so a hybrid host says 1 even with <c>cpu</c> on cgroup2), else 2.
    /// </summary>
    public int OpenNebulaCgroupsVersion => V1.Count > 0 ? 1 : 2;

    /// <summary>The v1 hierarchy holding <paramref name="controller"/>, or null.</summary>
    public CgroupHierarchy? V1Of(string controller) => V1.FirstOrDefault(h => h.Has(controller));

    /// <summary>Reads <c>&lt;proc&gt;/self/mountinfo</c> and the cgroup2 root's <c>cgroup.controllers</c>.</summary>
    /// <exception cref="CgroupNotMountedException">no cgroup or cgroup2 mount.</exception>
    public static CgroupLayout Detect(HostPaths paths)
    {
        var source = paths.ProcPath("self", "mountinfo");
        var mounts = MountInfoParser.Parse(KernelFile.Read(source), source);
        return FromMounts(mounts, paths, source);
    }

    /// <summary>Builds the layout from parsed mounts; cgroup2 controllers are read below <paramref name="paths"/>.</summary>
    public static CgroupLayout FromMounts(IReadOnlyList<MountInfo> mounts, HostPaths paths, string source = "mountinfo")
    {
        var v1 = new List<CgroupHierarchy>();
        CgroupHierarchy? v2 = null;
        foreach (var m in mounts)
        {
            if (m.IsCgroupV1)
            {
                v1.Add(new CgroupHierarchy(m.MountPoint, paths.MapHostPath(m.MountPoint), m.Root, CgroupVersion.V1, m.V1Controllers.ToList()));
            }
            else if (m.IsCgroupV2 && v2 is null)
            {
                var mapped = paths.MapHostPath(m.MountPoint);
                var controllers = KernelFile.ReadValueOrNull(Path.Join(mapped, "cgroup.controllers")) ?? "";
                v2 = new CgroupHierarchy(m.MountPoint, mapped, m.Root, CgroupVersion.V2,
                    controllers.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
        }
        if (v1.Count == 0 && v2 is null) throw new CgroupNotMountedException(source);

        var mode = v2 is null ? CgroupMode.V1
            : v1.Count == 0 || IsCgroupRoot(v2.MountPoint, paths) ? CgroupMode.V2 // cgroup2 at the root wins
            : CgroupMode.Hybrid;
        return new CgroupLayout { Mode = mode, V1 = v1, V2 = v2 };
    }

    private static bool IsCgroupRoot(string mountPoint, HostPaths paths) =>
        Path.TrimEndingDirectorySeparator(mountPoint) == Path.TrimEndingDirectorySeparator(paths.CgroupRoot);
}
