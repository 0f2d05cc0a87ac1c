namespace OneKvm.Driver.Actions;

/// <summary>A disk of the domain as the source host sees it (its XML, the file system, <c>qemu-img info</c>).</summary>
internal sealed record MigrationDisk(string Device, string Path)
{
    /// <summary>What the path links to (<c>readlink</c>), or null for a regular file.</summary>
    public string? LinkTarget { get; init; }

    /// <summary><c>qemu-img info</c>'s format of a regular file: <c>raw</c>, <c>qcow2</c>, …</summary>
    public string? Format { get; init; }

    /// <summary><c>virtual-size</c> in bytes.</summary>
    public long VirtualSize { get; init; }

    /// <summary>The qcow2 holds internal (system) snapshots, which a storage migration does not carry.</summary>
    public bool InternalSnapshots { get; init; }

    /// <summary><c>&lt;readonly/&gt;</c> in the domain XML (CD-ROMs, the context CD).</summary>
    public bool ReadOnly { get; init; }

    /// <summary><c>&lt;path&gt;.snap</c> is a directory (a raw disk with disk snapshots).</summary>
    public bool SnapshotDirectory { get; init; }
}
