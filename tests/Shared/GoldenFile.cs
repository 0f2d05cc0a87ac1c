using System.Text.RegularExpressions;

namespace OneKvm.Tests;

/// <summary>
/// Compares output with a golden file under <c>tests/fixtures</c>. With <c>ONEKVM_UPDATE_GOLDEN=1</c>
/// the file is rewritten instead; review the change with <c>git diff</c>.
/// </summary>
internal static partial class GoldenFile
{
    public static bool Updating => Environment.GetEnvironmentVariable("ONEKVM_UPDATE_GOLDEN") == "1";

    /// <param name="relativePath">Path below <c>tests/fixtures</c>.</param>
    public static void Check(string relativePath, string actual)
    {
        var path = Path.Join(TestPaths.Fixtures, relativePath);
        if (Updating)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }
        File.Exists(path).ShouldBeTrue($"golden file {path} is missing; run with ONEKVM_UPDATE_GOLDEN=1 and review it");
        var expected = File.ReadAllText(path);
        if (expected != actual)
        {
            var expectedLines = expected.Split('\n');
            var actualLines = actual.Split('\n');
            var first = 0;
            while (first < expectedLines.Length && first < actualLines.Length && expectedLines[first] == actualLines[first]) first++;
            var want = first < expectedLines.Length ? expectedLines[first] : "<end of file>";
            var got = first < actualLines.Length ? actualLines[first] : "<end of output>";
            throw new Xunit.Sdk.XunitException(
                $"output differs from {path} at line {first + 1}:\n  expected: {want}\n  actual:   {got}\n(ONEKVM_UPDATE_GOLDEN=1 rewrites it)");
        }
    }

    /// <summary>
    /// Replaces the MiB figures of the datastore attributes: they come from statvfs of the filesystem
    /// the fixture tree lives on, not from the tree (checked against df in the real-host tests).
    /// </summary>
    public static string MaskFilesystemSizes(string text) =>
        FilesystemSize().Replace(text, m => $"{m.Groups[1].Value}<MiB>");

    [GeneratedRegex(@"(DS_LOCATION_(?:USED|TOTAL|FREE)_MB=|(?:USED|TOTAL|FREE)_MB = "")[0-9]+")]
    private static partial Regex FilesystemSize();
}
