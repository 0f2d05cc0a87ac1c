using System.Globalization;
using System.Text;
using OneKvm.Cgroups;
using OneKvm.Probes.Host.Kernel;
using OneKvm.Probes.OpenNebula;

namespace OneKvm.Probes.Vm.Disks;

/// <summary>
/// The disk sizes of VMs on locally monitored system datastores, as upstream's
/// <c>monitor_ds_vm.rb</c> adds them to MONITOR_VM: for every numeric directory under
/// <c>DATASTORE_LOCATION</c> holding a <c>.monitor</c> file (whose content names the TM driver,
/// <c>ssh</c> when empty), the driver's <c>tm/&lt;driver&gt;/monitor_ds DS_DIR</c> under the remotes is
/// run (argument array, timeout) and its output kept; where the script is absent, the same lines are
/// computed here the way the file-based drivers' script does: per VM directory, per
/// <c>disk.N</c>, <c>du -mL</c> of the disk and of each snapshot in <c>disk.N.snap/</c>.
/// One line per VM: <c>VM = [ ID = 42, MONITOR = "&lt;base64&gt;"]</c> (no DEPLOY_ID).
/// Deliberate difference: snapshots with ids above 9 are counted (upstream's <c>grep '^[0-9]$'</c>
/// misses them).
/// </summary>
public static class LocalDatastoreDisks
{
    /// <summary>The VM lines of every monitored datastore, and one warning per datastore that failed.</summary>
    public static async Task<(string Lines, IReadOnlyList<string> Warnings)> CollectAsync(HostPaths paths, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var warnings = new List<string>();
        if (!Directory.Exists(paths.DatastoreLocation)) return ("", warnings);
        foreach (var ds in Directory.EnumerateDirectories(paths.DatastoreLocation).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(ds);
            if (!IsId(name)) continue;
            var mark = Path.Join(ds, ".monitor");
            string driver;
            try
            {
                if (!File.Exists(mark)) continue;
                driver = (await File.ReadAllTextAsync(mark, cancellationToken)).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                warnings.Add($"{mark}: {e.Message}");
                continue;
            }
            if (driver.Length == 0) driver = "ssh";
            if (driver.AsSpan().IndexOfAny("/\\\0") >= 0 || driver is "." or "..")
            {
                warnings.Add($"{mark}: '{driver}' is not a TM driver name");
                continue;
            }
            var script = Path.Join(paths.Remotes, "tm", driver, "monitor_ds");
            if (File.Exists(script))
            {
                var (ok, output, error) = await RemoteScript.RunAsync(script, [ds], timeout, cancellationToken);
                if (ok) text.Append(output.EndsWith('\n') || output.Length == 0 ? output : output + "\n");
                else warnings.Add($"{script} {ds}: {error}");
            }
            else
            {
                text.Append(Compute(ds));
            }
        }
        return (text.ToString(), warnings);
    }

    /// <summary>The lines the file-based TM drivers' <c>monitor_ds</c> prints for datastore directory <paramref name="ds"/>.</summary>
    public static string Compute(string ds)
    {
        var text = new StringBuilder();
        foreach (var vmDir in Directories(ds).Where(d => IsId(Path.GetFileName(d))).OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal))
        {
            var disks = Entries(vmDir)
                .Select(Path.GetFileName).OfType<string>()
                .Where(n => n.StartsWith("disk.", StringComparison.Ordinal) && IsId(n[5..]))
                .OrderBy(n => n, StringComparer.Ordinal)
                .ToList();
            if (disks.Count == 0) continue;
            var monitor = new StringBuilder();
            foreach (var disk in disks)
            {
                var diskId = disk[5..];
                if (DiskUsage.Mib(Path.Join(vmDir, disk)) is not { } size) continue;
                monitor.Append(CultureInfo.InvariantCulture, $"\nDISK_SIZE = [ ID={diskId}, SIZE={size}]");
                var snapDir = Path.Join(vmDir, disk + ".snap");
                foreach (var snap in Entries(snapDir).Select(Path.GetFileName).OfType<string>().Where(IsId).OrderBy(n => n, StringComparer.Ordinal))
                {
                    if (DiskUsage.Mib(Path.Join(snapDir, snap)) is not { } snapSize) continue;
                    monitor.Append(CultureInfo.InvariantCulture, $"\nSNAPSHOT_SIZE = [ ID={snap}, DISK_ID={diskId}, SIZE={snapSize}]");
                }
            }
            monitor.Append('\n');
            text.Append("VM = [ ID = ").Append(Path.GetFileName(vmDir)).Append(", MONITOR = \"")
                .Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(monitor.ToString()))).Append("\"]\n");
        }
        return text.ToString();
    }

    private static bool IsId(string name) => name.Length is > 0 and <= 9 && name.All(char.IsAsciiDigit);

    private static List<string> Directories(string dir) => Safe(() => Directory.EnumerateDirectories(dir).ToList());

    private static List<string> Entries(string dir) => Safe(() => Directory.EnumerateFileSystemEntries(dir).ToList());

    private static List<string> Safe(Func<List<string>> list)
    {
        try
        {
            return list();
        }
        catch (Exception e) when (e is DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
