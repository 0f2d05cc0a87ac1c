using OneKvm.Cgroups.Proc;
using OneKvm.Probes.Host.Kernel;

namespace OneKvm.Probes.Tests.Host.Kernel;

public sealed class NetDevParserTests
{
    // A captured file plus a long name touching the colon.
    private const string Captured = """
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            lo:  470166     474    0    0    0     0          0         0   470166     474    0    0    0     0       0          0
        one-74-0:       0       0    0    0    0     0          0         0       90       1    0    0    0     0       0          0
        enp94s0f0np0:18446744073709551615 1 0 0 0 0 0 0 12 1 0 0 0 0 0 0
        """;

    [Fact]
    public void Parse_Captured_GivesNamesAndByteCounters()
    {
        var devices = NetDevParser.Parse(Captured);
        devices.Select(d => d.Name).ShouldBe(["lo", "one-74-0", "enp94s0f0np0"]);
        devices[0].ShouldBe(new NetDevice("lo", 470166, 470166));
        devices[1].TransmitBytes.ShouldBe(90UL);
        devices[2].ReceiveBytes.ShouldBe(ulong.MaxValue);
    }

    [Theory]
    [InlineData("  eth0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16")]
    [InlineData("  eth0: 1 2 3")]
    [InlineData("  eth0: x 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16")]
    public void Parse_Malformed_NamesSourceAndLine(string line)
    {
        Should.Throw<FormatException>(() => NetDevParser.Parse("h1\nh2\n" + line, "/p/net/dev")).Message.ShouldStartWith("/p/net/dev:3:");
    }
}
