using OneKvm.Cgroups;
using OneKvm.Cgroups.Proc;
using OneKvm.Probes.Host;
using OneKvm.Probes.Sampling;
using OneKvm.Tests;

namespace OneKvm.Probes.Tests.Host;

public sealed class KernelHostReaderTests
{
    [Theory]
    [InlineData("32 31 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw", 1)] // hybrid
    [InlineData("35 24 0:31 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate", 2)]
    [InlineData("22 27 0:21 / /proc rw - proc proc rw", null)]
    public void CgroupsVersion_FollowsUpstreamRule(string mountinfo, int? expected)
    {
        KernelHostReader.CgroupsVersion(MountInfoParser.Parse(mountinfo)).ShouldBe(expected);
    }

    [Fact]
    public void Read_Fixture_GivesKernelAttributes()
    {
        var paths = HostPaths.UnderRoot(TestPaths.Host("debian12-1node"));
        var info = KernelHostReader.Read(paths, KernelSnapshot.Read(paths, TimeProvider.System), libvirtArch: null);
        info.ShouldBe(new KernelHostInfo("x86_64", "AMD EPYC", "kvm-node-01", 2596, 2, 24684084, 1, "7.4.0"));
        info.TotalCpu.ShouldBe(200);
    }

    [Fact]
    public void Read_NoCpuMhzButCpufreq_UsesMaxFrequency()
    {
        var root = Directory.CreateTempSubdirectory("onekvm-speed-").FullName;
        try
        {
            var paths = HostPaths.UnderRoot(root);
            Write(paths.ProcPath("cpuinfo"), "processor\t: 0\nBogoMIPS\t: 50.00\n");
            Write(paths.ProcPath("stat"), "cpu  1 2 3 4\ncpu0 1 2 3 4\n");
            Write(paths.ProcPath("meminfo"), "MemTotal: 1000 kB\nMemFree: 1 kB\nBuffers: 1 kB\nCached: 1 kB\n");
            Write(paths.SysPath("devices", "system", "cpu", "cpu0", "cpufreq", "cpuinfo_max_freq"), "2400000\n");
            Write(paths.SysPath("devices", "system", "cpu", "cpu1", "cpufreq", "cpuinfo_max_freq"), "3100000\n");
            var info = KernelHostReader.Read(paths, Snapshot(paths), libvirtArch: "aarch64");
            info.CpuSpeedMhz.ShouldBe(3100);
            info.Arch.ShouldBe("aarch64");
            info.OnlineCpus.ShouldBe(1);
            info.CgroupsVersion.ShouldBeNull();
            info.OpenNebulaVersion.ShouldBeNull();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Read_EmptyOnlineFile_IsAnErrorNamingTheFileNotTotalCpuZero()
    {
        var root = Directory.CreateTempSubdirectory("onekvm-online-").FullName;
        try
        {
            var paths = HostPaths.UnderRoot(root);
            Write(paths.ProcPath("cpuinfo"), "processor\t: 0\n");
            Write(paths.ProcPath("stat"), "cpu  1 2 3 4\ncpu0 1 2 3 4\n");
            Write(paths.ProcPath("meminfo"), "MemTotal: 1000 kB\nMemFree: 1 kB\nBuffers: 1 kB\nCached: 1 kB\n");
            var online = paths.SysPath("devices", "system", "cpu", "online");
            Write(online, "\n");
            Should.Throw<ProbeException>(() => KernelHostReader.Read(paths, Snapshot(paths), null)).Message
                .ShouldBe($"{online}: empty: no CPU listed as online (expected a CPU list such as 0-3)");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The kernel snapshot of a tree without mountinfo (no cgroup mounted).</summary>
    private static KernelSnapshot Snapshot(HostPaths paths) => KernelSnapshot.Read(paths, TimeProvider.System) with { Mounts = [] };

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
