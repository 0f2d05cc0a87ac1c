namespace OneKvm.Cgroups.Layout;

/// <summary>How the host mounts cgroups.</summary>
public enum CgroupMode
{
    /// <summary>Only cgroup v1 mounts ("legacy").</summary>
    V1,

    /// <summary>cgroup2 mounted at the cgroup root ("unified").</summary>
    V2,

    /// <summary>cgroup v1 controllers plus a cgroup2 mount elsewhere (usually <c>/sys/fs/cgroup/unified</c>).</summary>
    Hybrid,
}

/// <summary>Which cgroup interface a controller (here: <c>cpu</c>) is served by.</summary>
public enum CgroupVersion
{
    V1 = 1,
    V2 = 2,
}

/// <summary>A cgroup directory both as the host names it and where this process reads it.</summary>
/// <param name="HostPath">The path on the host (<c>/sys/fs/cgroup/cpu/machine/…</c>), for reports.</param>
/// <param name="Path">The same directory below the configured root (re-rooted through <see cref="HostPaths.MapHostPath"/>).</param>
/// <param name="Version">v1 or v2 interface files.</param>
public sealed record CgroupDir(string HostPath, string Path, CgroupVersion Version)
{
    public string File(string name) => System.IO.Path.Join(Path, name);

    public CgroupDir Child(string name) =>
        new(HostPath.TrimEnd('/') + "/" + name, System.IO.Path.Join(Path, name), Version);

    public CgroupDir? Parent()
    {
        var cut = HostPath.TrimEnd('/').LastIndexOf('/');
        var fsCut = Path.TrimEnd('/').LastIndexOf('/');
        return cut <= 0 || fsCut <= 0 ? null : new CgroupDir(HostPath[..cut], Path[..fsCut], Version);
    }

    public bool Exists => Directory.Exists(Path);
}
