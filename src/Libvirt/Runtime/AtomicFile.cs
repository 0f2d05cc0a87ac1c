using System.Security.Cryptography;

namespace OneKvm.Libvirt.Runtime;

/// <summary>
/// The one way OneKvm writes a file others read (state files, the driver's deployment and snapshot
/// files, monitord.conf, file_sd targets): a reader sees the old content or the new one, never half
/// of it. The content goes to a new file next to the target (same filesystem) with a random name,
/// created exclusively (so no symlink planted there is followed), which is then renamed over the
/// target. The directory is created when missing; the temporary file never outlives a failure.
/// Errors are the runtime's (<see cref="IOException"/>, <see cref="UnauthorizedAccessException"/>);
/// callers say what the file was.
/// </summary>
public static class AtomicFile
{
    /// <summary>Mode of a new file: rw-r--r-- (the target keeps the temporary file's mode).</summary>
    private const UnixFileMode NewFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Writes what <paramref name="write"/> puts in the stream to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var temporary = Temporary(path);
        try
        {
            using (var stream = Create(temporary))
            {
                write(stream);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Writes <paramref name="content"/> (UTF-8, no BOM) to <paramref name="path"/>.</summary>
    public static void Write(string path, string content) =>
        Write(path, stream => stream.Write(Utf8.GetBytes(content)));

    /// <summary>Writes <paramref name="content"/> (UTF-8, no BOM) to <paramref name="path"/>.</summary>
    public static async Task WriteAsync(string path, string content, CancellationToken cancellationToken)
    {
        var temporary = Temporary(path);
        try
        {
            await using (var stream = Create(temporary))
            {
                await stream.WriteAsync(Utf8.GetBytes(content), cancellationToken);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private static readonly System.Text.UTF8Encoding Utf8 = new(false);

    private static string Temporary(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        return Path.Join(directory, $".{Path.GetFileName(path)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp");
    }

    private static FileStream Create(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = NewFileMode;
        return new FileStream(path, options);
    }
}
