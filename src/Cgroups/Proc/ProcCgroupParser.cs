using System.Globalization;

namespace OneKvm.Cgroups.Proc;

/// <summary>One line of <c>/proc/&lt;pid&gt;/cgroup</c>.</summary>
/// <param name="HierarchyId">0 for the cgroup2 line.</param>
/// <param name="Controllers">v1 controllers (<c>cpu</c>, <c>name=systemd</c>); empty on the cgroup2 line.</param>
/// <param name="Path">The cgroup path relative to the hierarchy root (<c>/machine/qemu-2-one-74.libvirt-qemu/emulator</c>).</param>
public sealed record ProcCgroupEntry(int HierarchyId, IReadOnlyList<string> Controllers, string Path)
{
    public bool IsV2 => HierarchyId == 0 && Controllers.Count == 0;
}

/// <summary>
/// Parses <c>/proc/&lt;pid&gt;/cgroup</c> (cgroups(7)), lines <c>hierarchy-id:controller-list:path</c>:
/// <code>1:cpu:/machine/qemu-2-one-74.libvirt-qemu/emulator
/// 0::/machine/qemu-2-one-74.libvirt-qemu/emulator</code>
/// The path may itself contain <c>:</c>, so only the first two colons split.
/// </summary>
public static class ProcCgroupParser
{
    /// <summary>Parses every line; a malformed line is a <see cref="FormatException"/> naming <paramref name="source"/> and the line.</summary>
    public static IReadOnlyList<ProcCgroupEntry> Parse(string text, string source = "cgroup")
    {
        var entries = new List<ProcCgroupEntry>();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var first = line.IndexOf(':', StringComparison.Ordinal);
            var second = first < 0 ? -1 : line.IndexOf(':', first + 1);
            if (second < 0
                || !int.TryParse(line.AsSpan(0, first), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                || second + 1 >= line.Length || line[second + 1] != '/')
            {
                throw new FormatException($"{source}:{lineNumber}: malformed cgroup line '{line}'");
            }
            var controllers = line[(first + 1)..second].Split(',', StringSplitOptions.RemoveEmptyEntries);
            entries.Add(new ProcCgroupEntry(id, controllers, line[(second + 1)..]));
        }
        return entries;
    }

    /// <summary>Reads <c>&lt;proc&gt;/&lt;pid&gt;/cgroup</c>, or null when the process is gone.</summary>
    public static IReadOnlyList<ProcCgroupEntry>? Read(HostPaths paths, int pid)
    {
        var path = paths.ProcPath(pid.ToString(CultureInfo.InvariantCulture), "cgroup");
        return KernelFile.TryRead(path, out var text) ? Parse(text, path) : null;
    }
}
