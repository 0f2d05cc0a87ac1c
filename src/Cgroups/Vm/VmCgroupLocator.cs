using System.Globalization;
using System.Text.RegularExpressions;
using OneKvm.Cgroups.Layout;
using OneKvm.Cgroups.Proc;

namespace OneKvm.Cgroups.Vm;

/// <summary>
/// Finds a VM's cgroup directories: primarily from the QEMU pid's
/// <c>/proc/&lt;pid&gt;/cgroup</c> (the main thread sits in <c>emulator</c>, whose parent, minus a
/// <c>libvirt</c> sublevel, is the VM directory); else from the machine name computed from the
/// domain id and name, in the systemd and non-systemd layouts.
/// </summary>
public static partial class VmCgroupLocator
{
    /// <summary>Reads the QEMU pid from libvirt's pid file (<c>&lt;QemuPidDirectory&gt;/&lt;name&gt;.pid</c>), or null.</summary>
    public static int? ReadQemuPid(HostPaths paths, string domainName)
    {
        var value = KernelFile.ReadValueOrNull(Path.Join(paths.QemuPidDirectory, domainName + ".pid"));
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;
    }

    /// <summary>The VM directory of a thread's cgroup path: drops <c>emulator</c>/<c>vcpuN</c>/<c>iothreadN</c> and then <c>libvirt</c>.</summary>
    public static string VmDirectoryOf(string cgroupPath)
    {
        var parts = cgroupPath.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (parts.Count > 0 && ThreadGroup().IsMatch(parts[^1])) parts.RemoveAt(parts.Count - 1);
        if (parts.Count > 0 && parts[^1] == "libvirt") parts.RemoveAt(parts.Count - 1);
        return "/" + string.Join('/', parts);
    }

    /// <summary>Locates from the entries of <c>/proc/&lt;pid&gt;/cgroup</c>; null when the process is in no VM cgroup.</summary>
    public static VmCgroupPaths? FromProcCgroup(CgroupLayout layout, IReadOnlyList<ProcCgroupEntry> entries)
    {
        CgroupDir? V1(string controller)
        {
            var hierarchy = layout.V1Of(controller);
            var entry = entries.FirstOrDefault(e => !e.IsV2 && e.Controllers.Contains(controller, StringComparer.Ordinal));
            if (hierarchy is null || entry is null) return null;
            var vm = VmDirectoryOf(entry.Path);
            return vm == "/" ? null : hierarchy.Dir(vm);
        }

        CgroupDir? unified = null;
        if (layout.V2 is { } v2 && entries.FirstOrDefault(e => e.IsV2) is { } v2Entry && VmDirectoryOf(v2Entry.Path) is var v2Vm && v2Vm != "/")
            unified = v2.Dir(v2Vm);

        var cpu = layout.Cpu?.Version == CgroupVersion.V2 ? unified : V1("cpu");
        var relative = cpu ?? unified;
        if (relative is null) return null;
        return new VmCgroupPaths(
            RelativeOf(layout, relative),
            cpu,
            V1("cpuacct") is { Exists: true } acct ? acct : null,
            unified is { Exists: true } ? unified : null,
            V1("memory") ?? (unified is not null && layout.V2!.Has("memory") ? unified : null),
            V1("blkio") ?? (unified is not null && layout.V2!.Has("io") ? unified : null),
            "pid");
    }

    /// <summary>Locates by machine name (domain id + name) in every layout libvirt uses; null when no candidate exists.</summary>
    public static VmCgroupPaths? FromMachineName(CgroupLayout layout, int domainId, string domainName)
    {
        var probe = layout.Cpu ?? layout.V2;
        if (probe is null) return null;
        foreach (var candidate in MachineName.CandidateDirectories(domainId, domainName))
        {
            var relative = "/" + candidate;
            if (!probe.Dir(relative).Exists) continue;
            CgroupDir? At(CgroupHierarchy? h) => h?.Dir(relative) is { Exists: true } d ? d : null;
            var unified = At(layout.V2);
            return new VmCgroupPaths(
                relative,
                At(layout.Cpu),
                At(layout.Cpuacct),
                unified,
                At(layout.V1Of("memory")) ?? (layout.V2?.Has("memory") == true ? unified : null),
                At(layout.V1Of("blkio")) ?? (layout.V2?.Has("io") == true ? unified : null),
                "name");
        }
        return null;
    }

    /// <summary>Pid first, machine name second.</summary>
    public static VmCgroupPaths? Locate(HostPaths paths, CgroupLayout layout, string domainName, int? domainId)
    {
        if (ReadQemuPid(paths, domainName) is { } pid && ProcCgroupParser.Read(paths, pid) is { } entries
            && FromProcCgroup(layout, entries) is { } found)
        {
            return found;
        }
        return domainId is { } id ? FromMachineName(layout, id, domainName) : null;
    }

    private static string RelativeOf(CgroupLayout layout, CgroupDir dir)
    {
        var hierarchy = dir.Version == CgroupVersion.V2 ? layout.V2! : layout.Cpu!;
        var rest = dir.HostPath[hierarchy.HostMountPoint.TrimEnd('/').Length..];
        return rest.Length == 0 ? "/" : rest;
    }

    [GeneratedRegex("^(emulator|vcpu[0-9]+|iothread[0-9]+)$")]
    private static partial Regex ThreadGroup();
}
