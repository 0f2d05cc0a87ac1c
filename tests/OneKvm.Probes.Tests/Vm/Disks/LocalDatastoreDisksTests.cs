using System.Diagnostics;
using System.Text;
using OneKvm.Cgroups;
using OneKvm.Probes.Vm.Disks;

namespace OneKvm.Probes.Tests.Vm.Disks;

/// <summary>
/// DISK_SIZE / SNAPSHOT_SIZE on a `.monitor` system datastore built from real qcow2 and raw images
/// (qemu-img), checked against the kernel's allocation as `du -mL` reports it.
/// </summary>
[Trait("Category", "RealHost")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LocalDatastoreDisksTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("onekvm-ds-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private HostPaths Paths => HostPaths.UnderRoot(_root);

    private string Datastore(int id, string? driver = "")
    {
        var ds = Path.Join(Paths.DatastoreLocation, id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(ds);
        if (driver is not null) File.WriteAllText(Path.Join(ds, ".monitor"), driver);
        return ds;
    }

    private static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        p.ExitCode.ShouldBe(0, $"{file} {string.Join(' ', args)}: {error}");
        return output;
    }

    private static long Du(string path) => long.Parse(Run("du", "-mL", path).Split('\t')[0], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A qcow2 image with 3 MiB of guest data written and an internal snapshot, then more data.</summary>
    private static void Qcow2WithSnapshot(string path)
    {
        Run("qemu-img", "create", "-q", "-f", "qcow2", path, "64M");
        Run("qemu-io", "-f", "qcow2", "-c", "write -P 0x5a 0 3M", path);
        Run("qemu-img", "snapshot", "-c", "snap0", path);
        Run("qemu-io", "-f", "qcow2", "-c", "write -P 0x6b 0 2M", path);
        Run("qemu-img", "snapshot", "-l", path).ShouldContain("snap0");
    }

    private static string Decode(string line)
    {
        var start = line.IndexOf("MONITOR = \"", StringComparison.Ordinal) + 11;
        return Encoding.UTF8.GetString(Convert.FromBase64String(line[start..line.LastIndexOf('"')]));
    }

    [Fact]
    public async Task Sizes_match_du_on_real_images_with_snapshots()
    {
        var ds = Datastore(0);
        var vm = Path.Join(ds, "42");
        Directory.CreateDirectory(Path.Join(vm, "disk.0.snap"));
        Qcow2WithSnapshot(Path.Join(vm, "disk.0"));
        Run("qemu-img", "create", "-q", "-f", "qcow2", "-b", Path.Join(vm, "disk.0"), "-F", "qcow2", Path.Join(vm, "disk.0.snap", "0"));
        Run("qemu-io", "-f", "qcow2", "-c", "write -P 0x11 4M 1M", Path.Join(vm, "disk.0.snap", "0"));
        Run("qemu-img", "create", "-q", "-f", "raw", Path.Join(vm, "disk.1"), "32M"); // sparse: allocates nothing
        File.Copy(Path.Join(vm, "disk.0"), Path.Join(vm, "disk.2.img")); // not a disk.N name: ignored
        File.CreateSymbolicLink(Path.Join(vm, "disk.3"), Path.Join(vm, "disk.2.img")); // followed, as du -L does
        Directory.CreateDirectory(Path.Join(ds, "43")); // a VM directory without disks: no line

        var (lines, warnings) = await LocalDatastoreDisks.CollectAsync(Paths, TimeSpan.FromSeconds(10), CancellationToken.None);

        warnings.ShouldBeEmpty();
        var line = lines.TrimEnd('\n').ShouldHaveSingleItemLine();
        line.ShouldStartWith("VM = [ ID = 42, MONITOR = \"");
        Decode(line).ShouldBe(
            $"\nDISK_SIZE = [ ID=0, SIZE={Du(Path.Join(vm, "disk.0"))}]" +
            $"\nSNAPSHOT_SIZE = [ ID=0, DISK_ID=0, SIZE={Du(Path.Join(vm, "disk.0.snap", "0"))}]" +
            $"\nDISK_SIZE = [ ID=1, SIZE={Du(Path.Join(vm, "disk.1"))}]" +
            $"\nDISK_SIZE = [ ID=3, SIZE={Du(Path.Join(vm, "disk.3"))}]\n");
        Du(Path.Join(vm, "disk.0")).ShouldBeGreaterThanOrEqualTo(5); // 3 MiB + 2 MiB of new clusters kept by the snapshot
    }

    [Fact]
    public async Task Datastores_without_the_mark_are_not_read()
    {
        var ds = Datastore(1, driver: null);
        Directory.CreateDirectory(Path.Join(ds, "7"));
        Run("qemu-img", "create", "-q", "-f", "qcow2", Path.Join(ds, "7", "disk.0"), "1M");
        (await LocalDatastoreDisks.CollectAsync(Paths, TimeSpan.FromSeconds(10), CancellationToken.None)).Lines.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_drivers_monitor_ds_script_is_run_when_it_exists()
    {
        var ds = Datastore(100, "qcow2");
        var script = Path.Join(Paths.Remotes, "tm", "qcow2", "monitor_ds");
        Directory.CreateDirectory(Path.GetDirectoryName(script)!);
        File.WriteAllText(script, "#!/bin/sh\necho \"VM = [ ID = 5, MONITOR = \\\"$(printf '%s' \"$1\" | base64 -w0)\\\"]\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var (lines, warnings) = await LocalDatastoreDisks.CollectAsync(Paths, TimeSpan.FromSeconds(10), CancellationToken.None);

        warnings.ShouldBeEmpty();
        Decode(lines.TrimEnd('\n')).ShouldBe(ds); // the script got the datastore directory as its one argument
    }

    [Fact]
    public async Task A_hanging_script_times_out_with_a_warning_and_others_go_on()
    {
        Datastore(101, "slow");
        var script = Path.Join(Paths.Remotes, "tm", "slow", "monitor_ds");
        Directory.CreateDirectory(Path.GetDirectoryName(script)!);
        File.WriteAllText(script, "#!/bin/sh\nsleep 30 &\nsleep 30\n"); // a grandchild holds the output pipe too
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var ds = Datastore(102, "../../etc");

        var watch = Stopwatch.StartNew();
        var (lines, warnings) = await LocalDatastoreDisks.CollectAsync(Paths, TimeSpan.FromSeconds(1), CancellationToken.None);

        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));
        lines.ShouldBeEmpty();
        warnings.Count.ShouldBe(2);
        warnings[0].ShouldContain("did not finish within 1 s");
        warnings[1].ShouldBe($"{Path.Join(ds, ".monitor")}: '../../etc' is not a TM driver name");
    }
}

internal static class LineAssertions
{
    public static string ShouldHaveSingleItemLine(this string text) => text.Split('\n').ShouldHaveSingleItem();
}
