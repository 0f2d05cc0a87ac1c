using OneKvm.Libvirt.Stats;
using OneKvm.Probes.Sampling;

namespace OneKvm.Probes.Tests.Sampling;

/// <summary>Typed stats records for tests.</summary>
internal static class StatsSamples
{
    /// <summary>
    /// one-74 as libvirt 9.0.0 reported it on the test host (<c>virsh domstats --nowait one-74</c>,
    /// captured): two vCPUs, one tap NIC, a qcow2 and a raw disk.
    /// </summary>
    public static DomainStats One74(int state = 1, int reason = 1) => new(
        "one-74",
        new DomainStateStat(state, reason),
        new DomainCpuStat(8353713000, 7137012000, 1216700000),
        new DomainBalloonStat(98304, 98304, 52188, null, null, null, null, null, 0),
        new DomainVcpuStat(2, 2, [new VcpuStat(0, 1, 6010000000, 0, 450921464), new VcpuStat(1, 1, 0, 0, 804812)]),
        [new DomainNetStat(0, "one-74-0", 90, 1, 0, 0, 0, 0, 0, 0)],
        [
            new DomainBlockStat(0, "vda", "/tmp/lv/disk0.qcow2", 2, 1, 512, 115682, 0, 0, 0, 0, 0, 0, 67108864, 204800),
            new DomainBlockStat(1, "sda", "/tmp/lv/disk1.raw", 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null),
        ]);

    /// <summary>A record with only <c>cpu.time</c>.</summary>
    public static DomainStats CpuOnly(string name, ulong cpuTimeNs) =>
        new(name, null, new DomainCpuStat(cpuTimeNs, null, null), null, null, null, null);

    public static DomainEntry Entry(DomainStats stats, string uuid = "c5f37dda-a65f-4be1-9e15-93bf111d69a1", int? id = 2) =>
        new(stats.Name, uuid, id, stats);
}
