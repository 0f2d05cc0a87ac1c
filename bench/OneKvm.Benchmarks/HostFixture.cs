using OneKvm.Cgroups;
using OneKvm.Libvirt.Replay;
using OneKvm.Probes;
using OneKvm.Probes.Sampling;
using OneKvm.Scale;

namespace OneKvm.Benchmarks;

/// <summary>A synthetic host of N domains written once per process under the temp directory, and a probe context over it.</summary>
public static class HostFixture
{
    private static readonly Dictionary<(int, SyntheticLayout), string> Roots = [];

    /// <summary>The repository's debian12-1node fixture (kernel files the host categories read).</summary>
    public static string BaseFixture
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Join(dir.FullName, "tests", "fixtures", "hosts", "debian12-1node");
                if (Directory.Exists(candidate)) return candidate;
            }
            return Environment.GetEnvironmentVariable("ONEKVM_BASE_FIXTURE")
                ?? throw new DirectoryNotFoundException("tests/fixtures/hosts/debian12-1node not found above the benchmark binary (set ONEKVM_BASE_FIXTURE)");
        }
    }

    public static string Root(int vms, SyntheticLayout layout)
    {
        lock (Roots)
        {
            if (Roots.TryGetValue((vms, layout), out var root)) return root;
            root = Path.Join(Path.GetTempPath(), $"onekvm-bench-{Environment.ProcessId}-{vms}-{layout}");
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
            SyntheticHost.Write(root, vms, layout, BaseFixture);
            Roots[(vms, layout)] = root;
            return root;
        }
    }

    /// <summary>
    /// A probe context over the host tree with libvirt replayed in process from its recording (no
    /// daemon, no socket): what OneKvm itself spends. The domain snapshot is never reused, so each
    /// call reads the stats again.
    /// </summary>
    public static ProbeContext Context(string root)
    {
        var libvirt = ReplayLibvirtClient.FromFile(Path.Join(root, "libvirt.json"));
        var definitions = new OneKvm.Libvirt.Domain.DomainDefinitionCache(libvirt);
        return new ProbeContext
        {
            Paths = HostPaths.UnderRoot(root),
            Libvirt = libvirt,
            Definitions = definitions,
            Host = HostSampler.Create(libvirt, HostPaths.UnderRoot(root), definitions, TimeProvider.System, TimeSpan.Zero),
            // FirstSampleWindowSeconds 0: a frozen /proc/stat never moves, so every run would wait the window.
            Settings = new ProbeSettings { StateDirectory = Path.Join(root, "state"), FirstSampleWindowSeconds = 0 },
        };
    }
}
