namespace OneKvm.Probes.State;

/// <summary>
/// Writes a file so that a reader sees the old content or the new one, never half of it: a hidden
/// temporary file in the same directory (same filesystem), then a rename over the target. The
/// directory is created when missing; the temporary file never outlives a failure.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes what <paramref name="write"/> puts in the stream to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Join(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = File.Create(temporary))
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
        Write(path, stream => stream.Write(new System.Text.UTF8Encoding(false).GetBytes(content)));
}
