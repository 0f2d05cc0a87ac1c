namespace OneKvm.Cgroups.Layout;

/// <summary>No cgroup hierarchy is mounted: the message starts with the one <c>lscgroup</c> prints.</summary>
public sealed class CgroupNotMountedException : Exception
{
    public const string Text = "cgroups can't be listed: Cgroup is not mounted";

    public CgroupNotMountedException(string mountInfoPath)
        : base($"{Text} (no cgroup or cgroup2 mount in {mountInfoPath})") => MountInfoPath = mountInfoPath;

    public CgroupNotMountedException() : base(Text) { }

    public CgroupNotMountedException(string message, Exception inner) : base(message, inner) { }

    /// <summary>The mountinfo file that was read.</summary>
    public string? MountInfoPath { get; }
}
