using OneKvm.Libvirt.Runtime;

namespace OneKvm.Driver.Actions;

/// <summary>File writes of the actions: never through a predictable name, every error one line.</summary>
internal static class Files
{
    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically (<see cref="AtomicFile"/>); a failure is one line naming the file.</summary>
    public static async Task WriteAtomicallyAsync(string path, string text, string what, CancellationToken cancellationToken)
    {
        try
        {
            await AtomicFile.WriteAsync(path, text, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ActionFailedException($"Could not write {what} {path}: {e.Message}", e);
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
