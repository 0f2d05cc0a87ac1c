using System.Globalization;
using OneKvm.Cgroups;
using OneKvm.Cgroups.Proc;
using OneKvm.Probes.Host.Kernel;

namespace OneKvm.Probes.Host;

/// <summary>
/// Reads <c>DATASTORE_LOCATION</c> as OpenNebula's <c>monitor_ds.rb</c> and <c>nfs_automounted.rb</c>
/// do, with <c>statvfs</c> instead of <c>df -B1M -P</c> and mountinfo instead of <c>findmnt</c>.
/// Nothing is created: upstream's <c>mkdir -p</c> of a missing location is replaced by reporting the
/// filesystem it would be created on.
/// </summary>
public static class DatastoreReader
{
    public static DatastoreInfo Read(HostPaths paths, IReadOnlyList<MountInfo> mounts)
    {
        var location = paths.DatastoreLocation;
        var existing = NearestExistingDirectory(location);
        var usage = existing is null ? null : FileSystemUsage.Of(existing);
        if (!Directory.Exists(location)) return new DatastoreInfo(usage, [], []);

        var datastores = new List<DatastoreUsage>();
        var autoMounted = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories(location).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(dir);
            if (File.Exists(Path.Join(dir, ".automounted"))) autoMounted.Add(dir);
            if (name.Length > 0 && name.Length <= 9 && name.All(char.IsAsciiDigit)
                && File.Exists(Path.Join(dir, ".monitor")))
            {
                datastores.Add(new DatastoreUsage(int.Parse(name, CultureInfo.InvariantCulture), FileSystemUsage.Of(dir)));
            }
        }
        return new DatastoreInfo(usage, [.. datastores.OrderBy(d => d.Id)], AutoNfsSources(autoMounted, mounts));
    }

    /// <summary>
    /// The source of the mount whose mount point is each directory (the last, i.e. topmost, one when
    /// several are stacked), as <c>findmnt -n -o SOURCE DIR</c> prints it; directories that are not
    /// mount points are left out. Mount points are host paths, so under a re-rooted
    /// <see cref="HostPaths.DatastoreLocation"/> (fixture trees) nothing matches.
    /// </summary>
    public static IReadOnlyList<string> AutoNfsSources(IEnumerable<string> directories, IReadOnlyList<MountInfo> mounts) =>
        [.. directories
            .Select(dir => Path.TrimEndingDirectorySeparator(dir))
            .Select(dir => mounts.LastOrDefault(m => m.MountPoint == dir)?.Source)
            .OfType<string>()
            .Where(s => s.Length > 0)];

    private static string? NearestExistingDirectory(string path)
    {
        for (var dir = Path.GetFullPath(path); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (Directory.Exists(dir)) return dir;
        }
        return null;
    }
}
