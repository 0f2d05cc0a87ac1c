using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using OneKvm.Driver.Virsh;

namespace OneKvm.Driver.Actions;

/// <summary>
/// The steps of upstream's live migration to another host when the system datastore is not shared
/// (<c>SHARED=NO</c>), as argument vectors: <see cref="Prepare"/> commands run on the destination
/// through ssh (the VM directory, placeholder images for the disks libvirt copies, the disk links);
/// <see cref="PreSync"/> rsyncs the XML files, read-only raw disks and snapshot directories;
/// <see cref="Migrate"/> is <c>virsh migrate --live … --suspend [--copy-storage-all --migrate-disks …]</c>;
/// <see cref="PostSync"/> rsyncs qcow2 disks with internal snapshots (the block copy drops them) while
/// the domain is still paused on the destination; <see cref="Resume"/> runs it there.
/// </summary>
internal sealed partial record LocalMigrationPlan(
    IReadOnlyList<string[]> Prepare,
    string[]? PreSync,
    string[] Migrate,
    string[]? PostSync,
    string[] Resume)
{
    /// <summary>Builds the plan (pure). <paramref name="migrateOptions"/> are MIGRATE_OPTIONS and the VM template's options.</summary>
    public static LocalMigrationPlan Build(
        string domain, string destination, string destinationUri, string sourceVmDir, string destinationVmDir,
        IReadOnlyList<MigrationDisk> disks, IReadOnlyList<string> xmlFiles, IReadOnlyList<string> migrateOptions)
    {
        var prepare = new List<string[]> { new[] { "mkdir", "-p", destinationVmDir } };
        var links = new List<string[]>();
        var preSync = new List<string>(xmlFiles);
        var postSync = new List<string>();
        var copied = new List<string>();
        foreach (var (disk, index) in disks.Select((d, i) => (d, i)))
        {
            var path = disk.Path;
            var snapPath = SnapPath().Match(path);
            if (disk.LinkTarget is null)
            {
                if (disk.Format == "raw" && disk.ReadOnly)
                {
                    preSync.Add(path);
                }
                else
                {
                    copied.Add(disk.Device);
                    if (disk.Format == "qcow2" && disk.InternalSnapshots) postSync.Add(path);
                    prepare.Add(["mkdir", "-p", Dirname(path)]);
                    prepare.Add(["qemu-img", "create", "-q", "-f", disk.Format ?? "raw", path, disk.VirtualSize.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                }
            }
            else if (snapPath.Success || disk.LinkTarget.StartsWith("/dev/vg-one", StringComparison.Ordinal))
            {
                copied.Add(disk.Device); // a qcow2 snapshot link (its .snap directory is synced) or an LVM volume
            }
            // Any other link is taken for a network or shared disk: neither copied nor synced.

            if (snapPath.Success) preSync.Add(Path.Join(sourceVmDir, snapPath.Groups[1].Value));
            else if (disk.SnapshotDirectory) preSync.Add($"{path}.snap");

            if (ImageSnapshot().IsMatch(path))
            {
                links.Add(["ln", "-sfn", path, Path.Join(destinationVmDir, $"disk.{index}")]); // a persistent image of a shared datastore
            }
            else if (disk.LinkTarget is { } target)
            {
                if (target.StartsWith("/dev/vg-one", StringComparison.Ordinal))
                    target = $"/dev/vg-one-{Path.GetFileName(Dirname(destinationVmDir))}/{Path.GetFileName(target)}";
                links.Add(["ln", "-sfn", target, path]);
            }
            else if (snapPath.Success)
            {
                links.Add(["ln", "-sfn", path[snapPath.Index..], Path.Join(destinationVmDir, $"disk.{snapPath.Groups[2].Value}")]); // disk.N -> disk.N.snap/M
            }
        }
        prepare.AddRange(links);

        var migrate = new List<string> { "migrate", "--live" };
        migrate.AddRange(migrateOptions);
        migrate.Add("--suspend");
        if (copied.Count > 0) migrate.AddRange(["--copy-storage-all", "--migrate-disks", string.Join(',', copied)]);
        migrate.AddRange(["--", domain, destinationUri]);

        return new LocalMigrationPlan(
            [.. prepare.Select(p => Ssh(destination, p))],
            preSync.Count > 0 ? Rsync(preSync, destination, destinationVmDir) : null,
            [.. migrate],
            postSync.Count > 0 ? Rsync(postSync, destination, destinationVmDir) : null,
            ["resume", "--", domain]);
    }

    /// <summary><c>rsync -az -- PATHS… host:dir/</c> (rsync quotes the remote path for the remote shell itself).</summary>
    private static string[] Rsync(IEnumerable<string> paths, string host, string directory) =>
        ["rsync", "-az", "--", .. paths, $"{host}:{directory}/"];

    /// <summary>
    /// <c>ssh -- host COMMAND</c>: ssh hands the remote shell one command line, so each argument is
    /// single-quoted for it here; nothing the VM or oned names is ever interpreted by a shell.
    /// </summary>
    public static string[] Ssh(string host, IReadOnlyList<string> command) =>
        ["ssh", "--", host, string.Join(' ', command.Select(ShellQuote))];

    internal static string ShellQuote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "/._-,:=+@%".Contains(c))
            ? argument
            : $"'{argument.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    private static string Dirname(string path) => path.LastIndexOf('/') is > 0 and var i ? path[..i] : "/";

    /// <summary>The domain's disks (<c>target dev</c>, <c>source file|dev</c>) from its live XML; disks without a source are left out.</summary>
    public static IReadOnlyList<(string Device, string Path, bool ReadOnly)> DisksOf(string domainXml) =>
        [.. XDocument.Parse(domainXml).Root!.Elements("devices").Elements("disk")
            .Select(d => (
                Device: (string?)d.Element("target")?.Attribute("dev") ?? "",
                Path: (string?)d.Element("source")?.Attribute("file") ?? (string?)d.Element("source")?.Attribute("dev") ?? "",
                ReadOnly: d.Element("readonly") is not null))
            .Where(d => d.Device.Length > 0 && d.Path.Length > 0)];

    /// <summary>Reads what the plan needs about one disk on the source host (<c>qemu-img info -U</c> for regular files, bounded).</summary>
    public static async Task<MigrationDisk> InspectAsync(string device, string path, bool readOnly, CancellationToken cancellationToken)
    {
        var failure = $"Cannot inspect disk {device} ({path}) for the migration";
        string? link;
        try
        {
            link = new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ActionFailedException($"{failure}: {e.Message}", e);
        }
        var disk = new MigrationDisk(device, path) { LinkTarget = link, ReadOnly = readOnly, SnapshotDirectory = Directory.Exists($"{path}.snap") };
        if (link is not null) return disk;

        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync("qemu-img", ["info", "-U", "--output=json", path], timeout: TimeSpan.FromSeconds(60), cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or System.ComponentModel.Win32Exception)
        {
            throw new ActionFailedException($"{failure}: qemu-img info: {e.Message}", e);
        }
        if (result.ExitCode != 0) throw new ActionFailedException($"{failure}: qemu-img info: {VirshRunner.ErrorText(result.Stderr)}");
        try
        {
            using var json = JsonDocument.Parse(result.Stdout);
            var root = json.RootElement;
            return disk with
            {
                Format = root.GetProperty("format").GetString(),
                VirtualSize = root.GetProperty("virtual-size").GetInt64(),
                InternalSnapshots = root.TryGetProperty("snapshots", out var snaps) && snaps.ValueKind == JsonValueKind.Array && snaps.GetArrayLength() > 0,
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ActionFailedException($"{failure}: qemu-img info gave no format and virtual-size: {e.Message}", e);
        }
    }

    /// <summary>The plan as log lines show it.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var step in Prepare.Append(PreSync).Append(Migrate).Append(PostSync).Append(Resume).OfType<string[]>())
            text.AppendLine(string.Join(' ', step));
        return text.ToString();
    }

    /// <summary><c>…/disk.N.snap/…</c>: a qcow2 disk inside its snapshot directory.</summary>
    [GeneratedRegex(@"(disk\.([0-9]+)\.snap)/")]
    private static partial Regex SnapPath();

    /// <summary><c>/&lt;image&gt;.snap/…</c>: a persistent image's snapshot in an image datastore.</summary>
    [GeneratedRegex(@"/[0-9a-z]*\.snap/")]
    private static partial Regex ImageSnapshot();
}
