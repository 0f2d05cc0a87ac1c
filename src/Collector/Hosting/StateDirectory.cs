namespace OneKvm.Collector.Hosting;

/// <summary>
/// Whether the state directory (<c>Probes:StateDirectory</c>) can keep state between runs. If it
/// cannot, every run measures CPU use over the first-sample window instead of against the previous
/// run, so the user is told once, naming the directory.
/// </summary>
public static class StateDirectory
{
    /// <summary>Null when <paramref name="directory"/> exists (or can be created) and takes a file; else the warning.</summary>
    public static string? Problem(string directory)
    {
        var probe = Path.Join(directory, $".onekvm-write-test-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(directory);
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"state directory {directory} is not writable ({e.Message}): nothing is kept between runs, " +
                "so CPU usage is sampled over Probes:FirstSampleWindowSeconds every time (set --state-dir)";
        }
    }
}
