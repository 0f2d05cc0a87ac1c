namespace OneKvm.Tests;

/// <summary>Copies a fixture host tree to a directory a test may change, keeping its symbolic links as links.</summary>
internal static class FixtureCopy
{
    /// <summary>Copies <c>tests/fixtures/hosts/&lt;scenario&gt;</c> (but its <c>expected</c> goldens) to <paramref name="to"/>; returns <paramref name="to"/>.</summary>
    public static string Host(string scenario, string to)
    {
        Tree(TestPaths.Host(scenario), to, skip: "expected");
        return to;
    }

    private static void Tree(string from, string to, string? skip = null)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            var target = Path.Join(to, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                if (entry is DirectoryInfo) Directory.CreateSymbolicLink(target, link);
                else File.CreateSymbolicLink(target, link);
            }
            else if (entry is DirectoryInfo dir)
            {
                if (dir.Name != skip) Tree(dir.FullName, target);
            }
            else
            {
                File.Copy(entry.FullName, target);
            }
        }
    }
}
