using System.Globalization;
using System.Text.Json;
using OneKvm.Libvirt;
using OneKvm.Libvirt.Replay;
using OneKvm.Libvirt.Stats;

namespace OneKvm.Scale;

/// <summary>The cgroup layout of a synthetic host (as in tests/fixtures/hosts/cgroup-*).</summary>
public enum SyntheticLayout
{
    /// <summary>cgroup v1 controllers plus an empty-ish cgroup2 at <c>unified/</c>, <c>machine/qemu-ID-NAME.libvirt-qemu</c> (cgroup-v1-hybrid).</summary>
    V1Hybrid,

    /// <summary>Pure cgroup v2 with systemd scopes and libvirt's <c>libvirt/</c> level (cgroup-v2-systemd).</summary>
    V2,
}

/// <summary>
/// Writes a host tree of N running OpenNebula domains that <c>onekvm-probe --root DIR</c> reads as
/// a real host: the kernel files of a base fixture (CPU, memory, NUMA, NICs, datastores), a cgroup
/// tree, <c>/proc/PID/{cmdline,status,cgroup}</c> of each QEMU process, libvirt's pid files,
/// OpenNebula's <c>vm.xml</c>, and <c>DIR/libvirt.json</c>: a <see cref="LibvirtRecording"/> of the
/// domain list, the typed stats, every domain's XML and the base fixture's capabilities, replayed in
/// process with <c>--Libvirt:Replay=DIR/libvirt.json</c>.
/// Values are deterministic functions of the VM index (no randomness), shaped like libvirt 9.0's.
/// </summary>
public static class SyntheticHost
{
    private const string UnlimitedV1 = "9223372036854771712";

    /// <summary>First OpenNebula VM id; VM i (0-based) is <c>one-(FirstVmId + i)</c>.</summary>
    public const int FirstVmId = 1000;

    private const int FirstPid = 20000;

    private const string HybridMounts = """
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
        34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
        37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
        38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
        39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
        40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """;

    private const string V2Mounts = "26 22 0:23 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot";

    /// <summary>One synthetic domain.</summary>
    public sealed record Vm(int Index, int VmId, int DomainId, string Name, string Uuid, int Pid, int Vcpus, int MemoryMiB, double Cpu)
    {
        public int Shares(SyntheticLayout layout) => layout == SyntheticLayout.V1Hybrid
            ? (int)Math.Ceiling(Cpu * 1024) : (int)Math.Ceiling(Cpu * 100);
    }

    /// <summary>The N domains of a synthetic host.</summary>
    public static IReadOnlyList<Vm> Vms(int count) =>
        Enumerable.Range(0, count).Select(i => new Vm(
            i, FirstVmId + i, i + 1, $"one-{FirstVmId + i}",
            $"5ca1e000-0000-4000-8000-{i:x12}", FirstPid + i,
            Vcpus: 1 + (i % 4 == 3 ? 1 : 0), MemoryMiB: 512 + 256 * (i % 4),
            Cpu: (i % 5 + 1) * 0.25)).ToList();

    /// <summary>Writes the tree into <paramref name="root"/> (which must not exist or be empty).</summary>
    public static void Write(string root, int count, SyntheticLayout layout, string baseFixture)
    {
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
            throw new IOException($"{root}: not empty (give a new directory)");
        CopyTree(baseFixture, root, skip: ["expected", "state", "libvirt.json", "libvirt-down.json"]);
        var vms = Vms(count);
        W(root, "proc/self/mountinfo", layout == SyntheticLayout.V1Hybrid ? HybridMounts : V2Mounts);
        W(root, "proc/1/cmdline", "/sbin/init\0");
        if (layout == SyntheticLayout.V1Hybrid)
        {
            W(root, "sys/fs/cgroup/unified/cgroup.controllers", "hugetlb");
            W(root, "sys/fs/cgroup/cpu/machine/cpu.shares", "1024");
            W(root, "sys/fs/cgroup/memory/machine/memory.limit_in_bytes", UnlimitedV1);
        }
        else
        {
            W(root, "sys/fs/cgroup/cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc");
            W(root, "sys/fs/cgroup/machine.slice/cpu.weight", "100");
            W(root, "sys/fs/cgroup/machine.slice/memory.max", "max");
        }

        foreach (var vm in vms) WriteVm(root, vm, layout);
        var host = ReplayLibvirtClient.Load(Path.Join(baseFixture, "libvirt.json"));
        var recording = host with
        {
            Origin = $"onekvm-scale host --vms {count} --layout {layout}: synthetic, generated",
            Domains = [.. vms.Select(v => new DomainInfo(v.Uuid, v.Name, v.DomainId, 1, 1))],
            Stats = [.. vms.Select(v => new DomainStatsRecord(v.Uuid, v.DomainId, Stats(v)))],
            Xml = vms.ToDictionary(v => v.Uuid, v => DomainXml(v, layout), StringComparer.Ordinal),
            Failures = null,
            Events = null,
        };
        File.WriteAllText(Path.Join(root, "libvirt.json"), JsonSerializer.Serialize(recording, LibvirtRecordingJson.Default.LibvirtRecording));
    }

    private static void WriteVm(string root, Vm vm, SyntheticLayout layout)
    {
        var i = vm.Index;
        W(root, $"run/libvirt/qemu/{vm.Name}.pid", vm.Pid.ToString(CultureInfo.InvariantCulture));
        W(root, $"proc/{vm.Pid}/cmdline", string.Join('\0',
            "/usr/bin/qemu-system-x86_64", "-name", $"guest={vm.Name},debug-threads=on", "-S",
            "-machine", "pc-i440fx-7.2,usb=off,dump-guest-core=off", "-accel", "kvm", "-m", vm.MemoryMiB.ToString(CultureInfo.InvariantCulture),
            "-smp", $"{vm.Vcpus},sockets={vm.Vcpus},cores=1,threads=1", "-uuid", vm.Uuid, "-no-user-config", "-nodefaults") + "\0");
        var rss = vm.MemoryMiB * 1024 / 2 + i % 1000;
        W(root, $"proc/{vm.Pid}/status",
            $"Name:\tqemu-system-x86\nUmask:\t0002\nState:\tS (sleeping)\nTgid:\t{vm.Pid}\nPid:\t{vm.Pid}\nPPid:\t1\n" +
            $"VmPeak:\t 1785540 kB\nVmSize:\t 1720424 kB\nVmHWM:\t {rss + 4000} kB\nVmRSS:\t {rss} kB\nRssAnon:\t {rss - 20000} kB\n" +
            $"VmSwap:\t {(i % 7 == 0 ? 128 : 0)} kB\nThreads:\t{vm.Vcpus + 3}\n");
        W(root, $"var/lib/one/datastores/0/{vm.VmId}/vm.xml",
            $"<VM><ID>{vm.VmId}</ID><NAME>vm-{vm.VmId}</NAME><TEMPLATE><CPU><![CDATA[{vm.Cpu.ToString(CultureInfo.InvariantCulture)}]]></CPU>" +
            $"<MEMORY><![CDATA[{vm.MemoryMiB}]]></MEMORY><VCPU><![CDATA[{vm.Vcpus}]]></VCPU></TEMPLATE></VM>");
        var usec = 1_000_000L * (i + 1);
        var shares = vm.Shares(layout).ToString(CultureInfo.InvariantCulture);
        var threadGroups = Enumerable.Repeat("emulator", 1).Concat(Enumerable.Range(0, vm.Vcpus).Select(v => $"vcpu{v}")).ToList();
        if (layout == SyntheticLayout.V1Hybrid)
        {
            var machine = $"machine/qemu-{vm.DomainId}-{vm.Name}.libvirt-qemu";
            W(root, $"proc/{vm.Pid}/cgroup",
                $"9:name=systemd:/\n8:pids:/\n7:blkio:/{machine}\n6:freezer:/{machine}\n5:devices:/\n4:memory:/{machine}\n" +
                $"3:cpuset:/{machine}/emulator\n2:cpuacct:/\n1:cpu:/{machine}/emulator\n0::/{machine}/emulator");
            var cpu = $"sys/fs/cgroup/cpu/{machine}";
            W(root, $"{cpu}/cpu.shares", shares);
            W(root, $"{cpu}/cpu.cfs_quota_us", "-1");
            W(root, $"{cpu}/cpu.stat", "nr_periods 0\nnr_throttled 0\nthrottled_time 0\nnr_bursts 0\nburst_time 0");
            var unified = $"sys/fs/cgroup/unified/{machine}";
            W(root, $"{unified}/cgroup.type", "domain threaded");
            W(root, $"{unified}/cpu.stat", CpuStatV2(usec, ""));
            W(root, $"{unified}/cpu.pressure", Pressure(i));
            foreach (var t in threadGroups)
            {
                W(root, $"{cpu}/{t}/cpu.shares", "1024");
                W(root, $"{unified}/{t}/cgroup.type", "threaded");
                W(root, $"{unified}/{t}/cpu.stat", CpuStatV2(usec / threadGroups.Count, ""));
            }
            var mem = $"sys/fs/cgroup/memory/{machine}";
            W(root, $"{mem}/memory.usage_in_bytes", (rss * 1024L + 4096).ToString(CultureInfo.InvariantCulture));
            W(root, $"{mem}/memory.limit_in_bytes", UnlimitedV1);
            W(root, $"{mem}/memory.stat", $"cache 184320\nrss {rss * 1024L}\nrss_huge 14680064\nshmem 0\nswap 0\ntotal_rss {rss * 1024L}\ntotal_swap 0");
            W(root, $"sys/fs/cgroup/blkio/{machine}/blkio.throttle.io_service_bytes",
                $"253:0 Read {4096L * (i + 1)}\n253:0 Write 8192\n253:0 Sync 0\n253:0 Async 0\n253:0 Discard 0\n253:0 Total {4096L * (i + 1) + 8192}\nTotal {4096L * (i + 1) + 8192}");
        }
        else
        {
            var scope = $"machine.slice/machine-qemu\\x2d{vm.DomainId}\\x2d{vm.Name.Replace("-", "\\x2d", StringComparison.Ordinal)}.scope";
            W(root, $"proc/{vm.Pid}/cgroup", $"0::/{scope}/libvirt/emulator");
            var dir = $"sys/fs/cgroup/{scope}";
            W(root, $"{dir}/cpu.weight", shares);
            W(root, $"{dir}/cgroup.type", "domain threaded");
            W(root, $"{dir}/cpu.stat", CpuStatV2(usec, "\nnr_periods 120\nnr_throttled 4\nthrottled_usec 5300"));
            W(root, $"{dir}/cpu.pressure", Pressure(i));
            W(root, $"{dir}/io.stat", $"259:0 rbytes={1_048_576L * (i + 1)} wbytes={524_288L * (i + 1)} rios=12 wios=7 dbytes=0 dios=0");
            W(root, $"{dir}/memory.current", (rss * 1024L).ToString(CultureInfo.InvariantCulture));
            W(root, $"{dir}/memory.max", "max");
            W(root, $"{dir}/memory.swap.current", "0");
            W(root, $"{dir}/memory.stat", $"anon {rss * 1024L - 4096}\nfile 4096\ninactive_file 0");
            foreach (var t in threadGroups)
            {
                W(root, $"{dir}/libvirt/{t}/cgroup.type", "threaded");
                W(root, $"{dir}/libvirt/{t}/cpu.stat", CpuStatV2(usec / threadGroups.Count, ""));
            }
        }
    }

    private static string CpuStatV2(long usec, string extra) =>
        $"usage_usec {usec}\nuser_usec {usec * 8 / 10}\nsystem_usec {usec - usec * 8 / 10}\nnice_usec 0{extra}";

    private static string Pressure(int i) =>
        $"some avg10=0.00 avg60=0.00 avg300=0.00 total={2224115 + i}\nfull avg10=0.00 avg60=0.00 avg300=0.00 total={1884380 + i}";

    /// <summary>The live XML as <c>virsh dumpxml</c> prints it for an OpenNebula domain (trimmed to what OneKvm reads).</summary>
    public static string DomainXml(Vm vm, SyntheticLayout layout) => $"""
        <domain type='kvm' id='{vm.DomainId}' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
          <name>{vm.Name}</name>
          <uuid>{vm.Uuid}</uuid>
          <metadata>
            <one:vm xmlns:one="http://opennebula.org/xmlns/libvirt/1.0">
              <one:system_datastore>/var/lib/one//datastores/0/{vm.VmId}</one:system_datastore>
              <one:name>vm-{vm.VmId}</one:name>
              <one:id>{vm.VmId}</one:id>
            </one:vm>
          </metadata>
          <memory unit='KiB'>{vm.MemoryMiB * 1024}</memory>
          <currentMemory unit='KiB'>{vm.MemoryMiB * 1024}</currentMemory>
          <vcpu placement='static'>{vm.Vcpus}</vcpu>
          <cputune>
            <shares>{vm.Shares(layout)}</shares>
          </cputune>
          <devices>
            <disk type='file' device='disk'>
              <driver name='qemu' type='qcow2'/>
              <source file='/var/lib/one//datastores/0/{vm.VmId}/disk.0'/>
              <target dev='vda' bus='virtio'/>
            </disk>
            <interface type='bridge'>
              <mac address='02:00:0a:00:{vm.Index / 256 % 256:x2}:{vm.Index % 256:x2}'/>
              <source bridge='br0'/>
              <target dev='{vm.Name}-0'/>
              <model type='virtio'/>
            </interface>
          </devices>
        </domain>
        """ + "\n";

    /// <summary>One domain's statistics, shaped like libvirt 9.0's for a running domain with a disk and a NIC.</summary>
    public static DomainStats Stats(Vm vm)
    {
        var i = (ulong)vm.Index + 1;
        var kib = (ulong)vm.MemoryMiB * 1024;
        return new DomainStats(
            vm.Name,
            new DomainStateStat(1, 1),
            new DomainCpuStat(i * 1_415_671_000, i * 1_136_950_000, i * 278_721_000),
            new DomainBalloonStat(kib, kib, kib / 2 + i % 1000, kib / 2, kib - 10000, kib / 2 + 1000, 0, 0, 1_764_000_000 + vm.Index),
            new DomainVcpuStat((uint)vm.Vcpus, (uint)vm.Vcpus,
                [.. Enumerable.Range(0, vm.Vcpus).Select(v => new VcpuStat(v, 1, i * 870_000_000, 0, i * 497_258_444))]),
            [new DomainNetStat(0, $"{vm.Name}-0", i * 90_123, i * 1001, 0, i % 3, i * 45_001, i * 501, 0, 0)],
            [new DomainBlockStat(0, "vda", $"/var/lib/one//datastores/0/{vm.VmId}/disk.0", 1,
                i * 11, i * 1_048_576, i * 9_000_000, i * 7, i * 524_288, i * 5_000_000, i, i * 100_000, 204800, 10_737_418_240, 200704)]);
    }

    private static void W(string root, string relative, string text)
    {
        var path = Path.Join(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.EndsWith('\n') || text.EndsWith('\0') || text.Length == 0 ? text : text + "\n");
    }

    private static void CopyTree(string from, string to, IReadOnlyCollection<string> skip)
    {
        if (!Directory.Exists(from)) throw new DirectoryNotFoundException($"{from}: base fixture not found");
        foreach (var dir in Directory.EnumerateDirectories(from))
        {
            if (skip.Contains(Path.GetFileName(dir))) continue;
            CopyTree(dir, Path.Join(to, Path.GetFileName(dir)), []);
        }
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Join(to, Path.GetFileName(file)));
    }
}
