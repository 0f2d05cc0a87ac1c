using System.Security.Cryptography;
using System.Text;
using OneKvm.Collector.Agent;
using OneKvm.Collector.Tests.Support;

namespace OneKvm.Collector.Tests.Agent;

public sealed class PayloadTests
{
    [Fact]
    public void Decoder_SpecTestVector_GivesBeaconText()
    {
        var message = MonitordDecoder.Decode(Encoding.ASCII.GetBytes("BEACON_HOST SUCCESS 7 1724150000 eNozNDcyMTQ1AAIACu4B9Q=="), "udp", null);

        message.ShouldBe(new DecodedMessage("BEACON_HOST", "SUCCESS", 7, 1724150000, "1724150000", "udp", 57));
    }

    [Fact]
    public void Encode_WithoutKey_IsZlibStreamInBase64WithoutLineBreaks()
    {
        var text = string.Concat(Enumerable.Repeat("VM = [ ID=\"1\", MONITOR=\"abc\" ]\n", 200));

        var payload = PayloadCodec.Encode(text, null);

        payload.ShouldNotContain("\n");
        var compressed = Convert.FromBase64String(payload);
        compressed[0].ShouldBe((byte)0x78); // RFC 1950 header, not raw deflate or gzip
        Encoding.UTF8.GetString(MonitordDecoder.Inflate(compressed)).ShouldBe(text);
    }

    [Fact]
    public void Encode_WithKey_DecryptsInKByteBlocksWithThePrivateKey()
    {
        using var key = RSA.Create(2048);
        var text = string.Concat(Enumerable.Range(0, 40).Select(i => $"VM = [ ID=\"{i}\", DEPLOY_ID=\"uuid-{i}\",  STATE=\"RUNNING\" ]\n"));
        var frame = OutgoingMessage.FrameBytes("STATE_VM", true, 7, 1724150000, PayloadCodec.Encode(text, key));

        var inflated = MonitordDecoder.Inflate(Convert.FromBase64String(Encoding.ASCII.GetString(frame).Split(' ')[4]));
        var decoded = MonitordDecoder.Decode(frame, "tcp", key);

        Encoding.UTF8.GetByteCount(text).ShouldBeGreaterThan(245 * 3);
        inflated.Length.ShouldBe(256 * (int)Math.Ceiling(Encoding.UTF8.GetByteCount(text) / 245.0));
        decoded.Text.ShouldBe(text);
    }

    [Fact]
    public void Decoder_KeyConfiguredButMessagePlain_AcceptsPlainText()
    {
        using var key = RSA.Create(2048);
        var frame = OutgoingMessage.FrameBytes("MONITOR_HOST", true, 2, 5, PayloadCodec.Encode("HYPERVISOR=kvm\n", null));

        MonitordDecoder.Decode(frame, "udp", key).Text.ShouldBe("HYPERVISOR=kvm\n");
    }

    [Fact]
    public void SendBackoff_ConsecutiveFailures_FollowUpstreamSequence() =>
        Enumerable.Range(1, 12).Select(n => SendBackoff.After(n).TotalSeconds)
            .ShouldBe([1, 1, 1, 2, 4, 8, 8, 16, 32, 64, 64, 64]);
}
