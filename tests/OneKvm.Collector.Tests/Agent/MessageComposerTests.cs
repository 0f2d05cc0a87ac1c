using System.Security.Cryptography;
using OneKvm.Collector.Agent;
using OneKvm.Collector.Tests.Support;

namespace OneKvm.Collector.Tests.Agent;

public sealed class MessageComposerTests
{
    /// <summary>A MONITOR_VM text of <paramref name="count"/> VMs whose MONITOR values do not compress (like real Base64).</summary>
    private static string MonitorVm(int count, int monitorBytes)
    {
        var random = new Random(42);
        return string.Concat(Enumerable.Range(0, count).Select(i =>
        {
            var bytes = new byte[monitorBytes];
            random.NextBytes(bytes);
            return $"VM = [ ID=\"{i}\", DEPLOY_ID=\"{Guid.Empty}\", MONITOR=\"{Convert.ToBase64String(bytes)}\"]\n";
        }));
    }

    private static DecodedMessage Decode(OutgoingMessage m, RSA? key = null) =>
        MonitordDecoder.Decode(m.Frame, m.Transport.ToString(), key);

    [Fact]
    public void Compose_SmallMonitorVm_OneUdpMessage()
    {
        var text = MonitorVm(3, 100);

        var messages = new MessageComposer(7, null).Compose("MONITOR_VM", true, 100, text);

        messages.Count.ShouldBe(1);
        messages[0].Transport.ShouldBe(MonitordTransport.Udp);
        Decode(messages[0]).ShouldBe(new DecodedMessage("MONITOR_VM", "SUCCESS", 7, 100, text, "Udp", messages[0].Frame.Length));
    }

    [Fact]
    public void Compose_StateVm_GoesOverTcp() =>
        new MessageComposer(7, null).Compose("STATE_VM", true, 1, "VM = [ ID=\"1\", DEPLOY_ID=\"x\",  STATE=\"RUNNING\" ]\n")
            .Single().Transport.ShouldBe(MonitordTransport.Tcp);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Compose_MonitorVmLargerThanADatagram_SplitsBetweenVmsLosingNothing(bool encrypted)
    {
        using var key = encrypted ? RSA.Create(2048) : null;
        var text = "SOME_HEADER=\"kept\"\n" + MonitorVm(400, 300);

        var messages = new MessageComposer(7, key).Compose("MONITOR_VM", true, 100, text);

        messages.Count.ShouldBeGreaterThan(1);
        messages.ShouldAllBe(m => m.Transport == MonitordTransport.Udp && m.Frame.Length <= OutgoingMessage.MaxDatagramBytes);
        var decoded = messages.Select(m => Decode(m, key).Text).ToList();
        decoded.ShouldAllBe(t => t.StartsWith("SOME_HEADER=\"kept\"\n", StringComparison.Ordinal));
        string.Concat(decoded.Select(t => t["SOME_HEADER=\"kept\"\n".Length..])).ShouldBe(text["SOME_HEADER=\"kept\"\n".Length..]);
    }

    [Fact]
    public void Compose_OneEntryLargerThanADatagram_GoesOverTcp()
    {
        var text = MonitorVm(1, 80_000);

        var message = new MessageComposer(7, null).Compose("MONITOR_VM", true, 100, text).Single();

        message.Transport.ShouldBe(MonitordTransport.Tcp);
        Decode(message).Text.ShouldBe(text);
    }

    [Fact]
    public void Compose_Failure_SendsTheErrorTextAsFailure()
    {
        var message = new MessageComposer(3, null).Compose("MONITOR_HOST", false, 9, "Error executing monitor_host: boom").Single();

        Decode(message).ShouldBe(new DecodedMessage("MONITOR_HOST", "FAILURE", 3, 9, "Error executing monitor_host: boom", "Udp", message.Frame.Length));
    }

    [Fact]
    public void VmEntries_QuotedBracketsAndNames_DoNotSplit()
    {
        var text = "A=1\nVM = [ ID=\"1\", MONITOR=\"x]\\\"\nVM = [ fake\" ]\n  VM=[ID=\"2\"]\nNOTVM = [ X=1 ]\n";

        var (head, entries) = VmEntries.Split(text);

        head.ShouldBe("A=1\n");
        entries.ShouldBe(["VM = [ ID=\"1\", MONITOR=\"x]\\\"\nVM = [ fake\" ]\n  ", "VM=[ID=\"2\"]\nNOTVM = [ X=1 ]\n"]);
    }
}
