using System.Security.Cryptography;

namespace OneKvm.Driver;

/// <summary>
/// <c>onekvm-driver remotes [--driver PATH] DIR</c>: writes, for every action, the small executable
/// one_vmm_exec runs (<c>DIR/&lt;action&gt;</c>, DIR normally the front-end's
/// <c>/var/lib/one/remotes/vmm/kvm</c>, copied to the hosts' <c>/var/tmp/one/vmm/kvm</c> by
/// <c>onehost sync</c>). Each one execs the host's installed <c>onekvm-driver</c> with the kvmrc two
/// directories up, as upstream's scripts source it. Upstream's scripts it replaces are kept under
/// <c>DIR/.upstream/</c>; <c>remotes --restore DIR</c> puts them back.
/// </summary>
public static class Remotes
{
    public const string Command = "remotes";

    public const string DefaultDriver = "/usr/local/bin/onekvm-driver"; // scripts/install.sh with its default PREFIX

    private const string Marker = "# onekvm-driver remote action";

    private const string UpstreamDirectory = ".upstream";

    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>The script of one action (pure; tested).</summary>
    public static string Script(string action, string driver) =>
        "#!/bin/sh\n"
        + $"{Marker} '{action}': written by 'onekvm-driver remotes'; 'onekvm-driver remotes --restore' puts upstream's script back.\n"
        + ": \"${ONEKVM_KVMRC:=$(dirname \"$0\")/../../etc/vmm/kvm/kvmrc}\"\n"
        + "export ONEKVM_KVMRC\n"
        + $"exec {Quote(driver)} {action} \"$@\"\n";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var driver = DefaultDriver;
        var restore = false;
        string? directory = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--driver" when i + 1 < args.Length:
                    driver = args[++i];
                    break;
                case "--restore":
                    restore = true;
                    break;
                case var a when directory is null && !a.StartsWith('-'):
                    directory = a;
                    break;
                default:
                    stderr.WriteLine($"onekvm-driver remotes: unexpected argument '{args[i]}'; usage: onekvm-driver remotes [--driver PATH | --restore] DIR");
                    return 2;
            }
        }
        if (directory is null)
        {
            stderr.WriteLine("onekvm-driver remotes: usage: onekvm-driver remotes [--driver PATH | --restore] DIR");
            return 2;
        }
        if (!Path.IsPathRooted(driver))
        {
            stderr.WriteLine($"onekvm-driver remotes: --driver must be an absolute path, not '{driver}'");
            return 2;
        }
        try
        {
            if (restore) Restore(directory, stdout);
            else Install(directory, driver, stdout);
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            stderr.WriteLine($"onekvm-driver remotes: {directory}: {e.Message}");
            return 1;
        }
    }

    private static void Install(string directory, string driver, TextWriter stdout)
    {
        Directory.CreateDirectory(directory);
        var kept = Path.Join(directory, UpstreamDirectory);
        foreach (var action in ActionCatalog.All)
        {
            var path = Path.Join(directory, action.Name);
            if (File.Exists(path) && !IsOurs(path))
            {
                Directory.CreateDirectory(kept);
                var backup = Path.Join(kept, action.Name);
                if (!File.Exists(backup)) File.Copy(path, backup);
            }
            WriteExecutable(path, Script(action.Name, driver));
        }
        stdout.WriteLine($"{ActionCatalog.All.Count} actions written to {directory} (calling {driver}); upstream's scripts kept in {kept}.");
        stdout.WriteLine("Now run 'onehost sync --force' as oneadmin to copy them to the hosts.");
    }

    private static void Restore(string directory, TextWriter stdout)
    {
        var kept = Path.Join(directory, UpstreamDirectory);
        var restored = 0;
        foreach (var action in ActionCatalog.All)
        {
            var path = Path.Join(directory, action.Name);
            var backup = Path.Join(kept, action.Name);
            if (File.Exists(backup))
            {
                WriteExecutable(path, File.ReadAllText(backup));
                File.Delete(backup);
                restored++;
            }
            else if (File.Exists(path) && IsOurs(path))
            {
                File.Delete(path); // upstream had no such script
            }
        }
        if (Directory.Exists(kept) && Directory.GetFileSystemEntries(kept).Length == 0) Directory.Delete(kept);
        stdout.WriteLine($"{restored} upstream scripts restored in {directory}. Now run 'onehost sync --force' as oneadmin.");
    }

    private static bool IsOurs(string path) => File.ReadLines(path).Take(2).Any(l => l.StartsWith(Marker, StringComparison.Ordinal));

    /// <summary>New file with a random name, created exclusively, then renamed over the action.</summary>
    private static void WriteExecutable(string path, string text)
    {
        var temporary = Path.Join(Path.GetDirectoryName(Path.GetFullPath(path)), $".{Path.GetFileName(path)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = Executable }))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(text);
            }
            File.SetUnixFileMode(temporary, Executable);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private static string Quote(string text) => $"'{text.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
