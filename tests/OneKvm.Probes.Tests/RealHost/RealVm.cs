using System.Globalization;
using OneKvm.Cgroups;
using OneKvm.Cgroups.Proc;
using OneKvm.Probes.Host.Kernel;
using OneKvm.Libvirt;
using OneKvm.Probes.Sampling;

namespace OneKvm.Probes.Tests.RealHost;

/// <summary>Helpers for the VM tests against the local libvirtd: a context, virsh readings, /proc.</summary>
internal static class RealVm
{
    public static ProbeContext Context(string stateDir, int timesMissing = 5)
    {
        var libvirt = Connect();
        var definitions = new OneKvm.Libvirt.Domain.DomainDefinitionCache(libvirt);
        return new ProbeContext
        {
            Paths = HostPaths.Default,
            Libvirt = libvirt,
            Definitions = definitions,
            Host = HostSampler.Create(libvirt, HostPaths.Default, definitions, TimeProvider.System, TimeSpan.Zero),
            Settings = new ProbeSettings { StateDirectory = stateDir, TimesMissing = timesMissing, FirstSampleWindowSeconds = 0.5 },
        };
    }

    /// <summary>A connection to the test host's libvirtd.</summary>
    public static ILibvirtClient Connect() =>
        new NativeLibvirtClient(new LibvirtClientOptions { Uri = OneKvm.Tests.TestDomain.Uri, CallTimeout = TimeSpan.FromSeconds(20) });

    public static string TempDir()
    {
        var dir = Path.Join(Path.GetTempPath(), "onekvm-vmtest-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>virsh's own domstats of one domain, as key → value.</summary>
    public static Dictionary<string, string> DomStats(string name)
    {
        var (code, stdout, stderr) = OneKvm.Tests.TestDomain.Virsh("domstats", "--nowait", name);
        code.ShouldBe(0, stderr);
        return stdout.Split('\n').Where(l => l.StartsWith("  ", StringComparison.Ordinal))
            .Select(l => l.Trim().Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
    }

    public static ulong Sum(Dictionary<string, string> stats, string group, string field)
    {
        var count = stats.TryGetValue($"{group}.count", out var c) ? int.Parse(c, CultureInfo.InvariantCulture) : 0;
        ulong total = 0;
        for (var i = 0; i < count; i++) total += ulong.Parse(stats[$"{group}.{i}.{field}"], CultureInfo.InvariantCulture);
        return total;
    }

    /// <summary>VmRSS + VmSwap of the domain's QEMU process, read now.</summary>
    public static long MemoryKiB(string uuid)
    {
        var qemu = QemuProcessIndex.Scan(HostPaths.Default)[uuid];
        ProcStatusParser.TryRead(HostPaths.Default, qemu.Pid, out var status).ShouldBeTrue();
        return status!.VmRssKiB!.Value + (status.VmSwapKiB ?? 0);
    }

    /// <summary>Decodes MONITOR of the line with this id into key → value.</summary>
    public static Dictionary<string, string> Monitor(string monitorVm, int id)
    {
        var line = monitorVm.Split('\n').Single(l => l.StartsWith($"VM = [ ID=\"{id}\",", StringComparison.Ordinal));
        var b64 = line[(line.IndexOf("MONITOR=\"", StringComparison.Ordinal) + 9)..line.LastIndexOf('"')];
        return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(b64)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1].Trim('"'));
    }
}
