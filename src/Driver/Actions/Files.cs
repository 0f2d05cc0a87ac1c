using System.Security.Cryptography;

namespace OneKvm.Driver.Actions;

/// <summary>File writes of the actions: never through a predictable name, every error one line.</summary>
internal static class Files
{
    /// <summary>
    /// Writes <paramref name="text"/> to <paramref name="path"/> through a new file next to it (random
    /// name, created exclusively, so no symlink is followed) renamed over the target.
    /// </summary>
    public static async Task WriteAtomicallyAsync(string path, string text, string what, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string? temporary = null;
        try
        {
            Directory.CreateDirectory(directory);
            temporary = Path.Join(directory, $".{Path.GetFileName(path)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp");
            await using (var stream = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            }))
            await using (var writer = new StreamWriter(stream))
            {
                await writer.WriteAsync(text.AsMemory(), cancellationToken);
            }
            File.Move(temporary, path, overwrite: true);
            temporary = null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ActionFailedException($"Could not write {what} {path}: {e.Message}", e);
        }
        finally
        {
            if (temporary is not null) TryDelete(temporary);
        }
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // best effort
        }
    }
}
