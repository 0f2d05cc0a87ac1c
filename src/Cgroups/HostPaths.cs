namespace OneKvm.Cgroups;

/// <summary>
/// Every host path OneKvm reads goes through this record, so that any probe can run against a
/// fixture tree (<c>tests/fixtures/hosts/&lt;scenario&gt;</c>) or a container's <c>/host</c> mounts.
/// No other file names <c>/proc</c> or <c>/sys</c> literally.
/// </summary>
public sealed record HostPaths
{
    /// <summary>The procfs mount (<c>/proc</c>).</summary>
    public string Proc { get; set; } = "/proc";

    /// <summary>The sysfs mount (<c>/sys</c>).</summary>
    public string Sys { get; set; } = "/sys";

    /// <summary>
    /// Where the host's cgroup mounts are found. Mount points read from mountinfo that start with
    /// <c>/sys/fs/cgroup</c> are re-rooted here.
    /// </summary>
    public string CgroupRoot { get; set; } = "/sys/fs/cgroup";

    /// <summary>OpenNebula's <c>DATASTORE_LOCATION</c> on the host.</summary>
    public string DatastoreLocation { get; set; } = "/var/lib/one/datastores";

    /// <summary>OpenNebula's remotes directory on the host (holds <c>VERSION</c> and <c>etc/</c>).</summary>
    public string Remotes { get; set; } = "/var/tmp/one";

    /// <summary>libvirt's QEMU driver state directory holding <c>&lt;domain&gt;.pid</c> (the QEMU pid of each running domain).</summary>
    public string QemuPidDirectory { get; set; } = "/run/libvirt/qemu";

    /// <summary>OpenNebula's run directory on the host: guest-agent exec pid files <c>one-&lt;id&gt;</c> and their lock.</summary>
    public string OneRunDirectory { get; set; } = "/var/run/one";

    /// <summary>The default, real host layout.</summary>
    public static HostPaths Default { get; } = new();

    /// <summary>A host tree rooted at <paramref name="root"/> with the usual layout below it.</summary>
    public static HostPaths UnderRoot(string root) => new()
    {
        Proc = Path.Join(root, "proc"),
        Sys = Path.Join(root, "sys"),
        CgroupRoot = Path.Join(root, "sys", "fs", "cgroup"),
        DatastoreLocation = Path.Join(root, "var", "lib", "one", "datastores"),
        Remotes = Path.Join(root, "var", "tmp", "one"),
        QemuPidDirectory = Path.Join(root, "run", "libvirt", "qemu"),
        OneRunDirectory = Path.Join(root, "var", "run", "one"),
    };

    /// <summary>A path below the proc root, e.g. <c>ProcPath("stat")</c> or <c>ProcPath("1234", "cgroup")</c>.</summary>
    public string ProcPath(params ReadOnlySpan<string> parts) => Join(Proc, parts);

    /// <summary>A path below the sys root, e.g. <c>SysPath("devices", "system", "node")</c>.</summary>
    public string SysPath(params ReadOnlySpan<string> parts) => Join(Sys, parts);

    /// <summary>A path below the cgroup root.</summary>
    public string CgroupPath(params ReadOnlySpan<string> parts) => Join(CgroupRoot, parts);

    /// <summary>
    /// Maps an absolute path as the host sees it (from mountinfo or a process's cgroup file) into
    /// this tree: <c>/sys/fs/cgroup/...</c> → <see cref="CgroupRoot"/>, <c>/sys/...</c> →
    /// <see cref="Sys"/>, <c>/proc/...</c> → <see cref="Proc"/>; other paths are returned unchanged.
    /// </summary>
    public string MapHostPath(string hostPath)
    {
        if (TryStrip(hostPath, "/sys/fs/cgroup", out var rest)) return CgroupRoot + rest;
        if (TryStrip(hostPath, "/sys", out rest)) return Sys + rest;
        if (TryStrip(hostPath, "/proc", out rest)) return Proc + rest;
        return hostPath;
    }

    private static bool TryStrip(string path, string prefix, out string rest)
    {
        if (path.Equals(prefix, StringComparison.Ordinal))
        {
            rest = "";
            return true;
        }
        if (path.StartsWith(prefix + "/", StringComparison.Ordinal))
        {
            rest = path[prefix.Length..];
            return true;
        }
        rest = "";
        return false;
    }

    private static string Join(string root, ReadOnlySpan<string> parts)
    {
        var path = root;
        foreach (var part in parts) path = Path.Join(path, part);
        return path;
    }
}
