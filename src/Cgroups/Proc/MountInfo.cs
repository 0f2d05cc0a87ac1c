namespace OneKvm.Cgroups.Proc;

/// <summary>One line of <c>/proc/&lt;pid&gt;/mountinfo</c>, paths unescaped.</summary>
public sealed record MountInfo(
    int MountId,
    int ParentId,
    string Root,
    string MountPoint,
    string FsType,
    string Source,
    IReadOnlyList<string> SuperOptions)
{
    /// <summary>True for a cgroup v1 mount (<c>cgroup</c>).</summary>
    public bool IsCgroupV1 => FsType == "cgroup";

    /// <summary>True for a cgroup v2 mount (<c>cgroup2</c>).</summary>
    public bool IsCgroupV2 => FsType == "cgroup2";

    /// <summary>The v1 controllers of this mount (super options without rw/ro and flags), e.g. <c>cpu</c>, <c>cpuacct</c>, <c>name=systemd</c>.</summary>
    public IEnumerable<string> V1Controllers => IsCgroupV1
        ? SuperOptions.Where(o => o is not ("rw" or "ro" or "noprefix" or "xattr" or "clone_children" or "cpuset_v2_mode")
            && !o.StartsWith("release_agent=", StringComparison.Ordinal))
        : [];
}
