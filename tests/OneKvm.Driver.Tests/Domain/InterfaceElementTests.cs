using OneKvm.Driver.Domain;
using OneKvm.Tests;

namespace OneKvm.Driver.Tests.Domain;

public sealed class InterfaceElementTests
{
    private static Dictionary<string, string> D(params string[] pairs)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < pairs.Length; i += 2) d[pairs[i]] = pairs[i + 1];
        return d;
    }

    public static TheoryData<string, string[], string?, string?> Scenarios => new()
    {
        { "ethernet-no-bridge", ["MAC", "02:00:0a:00:00:01", "TARGET", "one-7-0"], "virtio", null },
        { "bridge-linux-virtio-auto-queues", ["BRIDGE", "br0", "MAC", "02:00:0a:00:00:02", "TARGET", "one-7-1", "VIRTIO_QUEUES", "auto", "ORDER", "2"], "virtio", null },
        { "ovs-filter-ip-bandwidth", ["BRIDGE", "ovsbr0", "BRIDGE_TYPE", "openvswitch", "MAC", "02:00:0a:00:00:03", "TARGET", "one-7-2", "MODEL", "e1000", "IP", "10.0.0.3", "VROUTER_IP", "10.0.0.1", "INBOUND_AVG_BW", "1000", "OUTBOUND_PEAK_KB", "64"], "virtio", "clean-traffic" },
        { "dpdk-vhostuser", ["BRIDGE", "br0", "BRIDGE_TYPE", "openvswitch_dpdk", "MAC", "02:00:0a:00:00:04", "TARGET", "one-7-3", "VIRTIO_QUEUES", "bogus"], "virtio", null },
        { "dummy-mode-is-ethernet", ["BRIDGE", "br0", "NETWORK_MODE", "dummy", "MAC", "02:00:0a:00:00:05", "TARGET", "one-7-4"], null, "clean-traffic" },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Build_Scenario_MatchesGoldenXml(string scenario, string[] nic, string? model, string? filter)
    {
        var xml = InterfaceElement.Build(D(nic), model, filter, vcpus: 4);
        GoldenFile.Check($"domains/interfaces/{scenario}.xml", xml.ToString() + "\n");
    }
}
