namespace OneKvm.Cgroups.Layout;

/// <summary>One mounted cgroup hierarchy.</summary>
/// <param name="HostMountPoint">Mount point as mountinfo names it (host view).</param>
/// <param name="MountPoint">The mount point re-rooted below the configured cgroup root.</param>
/// <param name="Root">The mount's root inside the hierarchy (mountinfo field 4, <c>/</c> on a host).</param>
/// <param name="Version">v1 (<c>cgroup</c>) or v2 (<c>cgroup2</c>).</param>
/// <param name="Controllers">v1: the controllers from the super options (<c>cpu</c>, <c>cpuacct</c>, <c>name=systemd</c>);
/// v2: the names in the root's <c>cgroup.controllers</c>.</param>
public sealed record CgroupHierarchy(
    string HostMountPoint,
    string MountPoint,
    string Root,
    CgroupVersion Version,
    IReadOnlyList<string> Controllers)
{
    public bool Has(string controller) => Controllers.Contains(controller, StringComparer.Ordinal);

    /// <summary>
    /// The directory of a cgroup path as a process's <c>/proc/&lt;pid&gt;/cgroup</c> names it
    /// (<c>/machine/qemu-2-one-74.libvirt-qemu</c>), relative to this mount's root.
    /// </summary>
    public CgroupDir Dir(string cgroupPath)
    {
        var relative = cgroupPath;
        if (Root != "/" && relative.StartsWith(Root, StringComparison.Ordinal)) relative = relative[Root.Length..];
        relative = relative.Trim('/');
        return relative.Length == 0
            ? new CgroupDir(HostMountPoint, MountPoint, Version)
            : new CgroupDir(HostMountPoint.TrimEnd('/') + "/" + relative, Path.Join(MountPoint, relative), Version);
    }
}
