using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using OneKvm.Collector.Tests.Support;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Agent;

/// <summary>The built onekvm-probe run as <c>agent</c>, sending to a listener that decodes like monitord.</summary>
public sealed partial class AgentProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-agent-proc-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Configuration(int port, string pubkey = "", string address = "auto") =>
        MonitorConfigurationTests.Shipped
            .Replace("<PORT>4124</PORT>", $"<PORT>{port}</PORT>", StringComparison.Ordinal)
            .Replace("<MONITOR_ADDRESS>auto</MONITOR_ADDRESS>", $"<MONITOR_ADDRESS>{address}</MONITOR_ADDRESS>", StringComparison.Ordinal)
            .Replace("<PUBKEY/>", $"<PUBKEY>{pubkey}</PUBKEY>", StringComparison.Ordinal)
            .Replace("<BEACON_HOST>30</BEACON_HOST>", "<BEACON_HOST>1</BEACON_HOST>", StringComparison.Ordinal);

    private string[] Args()
    {
        var kvmrc = Path.Join(_dir, "kvmrc");
        File.WriteAllText(kvmrc, "");
        // libvirt replayed: the test does not depend on the host's libvirtd (AgentRealHostTests do).
        return ["agent", "--kvmrc", kvmrc, $"--Agent:DbDirectory={Path.Join(_dir, "one_db")}",
            $"--Libvirt:Replay={Path.Join(TestPaths.Host("kvm-three-domains"), "libvirt.json")}", $"--Probes:StateDirectory={Path.Join(_dir, "state")}"];
    }

    private static async Task<string> OnceAsync(string category, string[] args)
    {
        using var once = ProbeProcess.Start(["--once", "--category", category, .. args[1..3]]);
        var text = await once.ReadStdoutToEndAsync(TimeSpan.FromSeconds(30));
        (await once.WaitForExitAsync(TimeSpan.FromSeconds(30))).ShouldBe(0, once.Stderr);
        return text;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Agent_FedMonitorConfiguration_PrintsStartupDocumentThenSendsBeaconsOnPeriod(bool encrypted)
    {
        using var key = encrypted ? RSA.Create(2048) : null;
        await using var monitord = new MonitordListener(key);
        var pubkey = key?.ExportRSAPublicKeyPem().ReplaceLineEndings(" ") ?? "";
        var args = Args();
        using var agent = ProbeProcess.Start(args, Configuration(monitord.Port, pubkey),
            new Dictionary<string, string?> { ["SSH_CLIENT"] = "127.0.0.1 40000 22" });

        // stdout ends after the document: the agent detaches it, as the IM driver's ssh needs.
        var document = await agent.ReadStdoutToEndAsync(TimeSpan.FromSeconds(30));
        var beacons = new List<DecodedMessage>();
        try
        {
            for (var i = 0; i < 3; i++)
                beacons.Add(await monitord.NextAsync(m => m.Type == "BEACON_HOST", TimeSpan.FromSeconds(15)));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; agent stderr: {agent.Stderr}; document: {document}", e);
        }
        var once = await OnceAsync("beacon_host", args);

        StartupDocumentShape().IsMatch(document).ShouldBeTrue(document);
        // upstream's elements in upstream's order: the second MONITOR_VM is the snapshot category
        Regex.Matches(document, "<([A-Z_]+)>[A-Za-z0-9+/=]*</").Select(m => m.Groups[1].Value)
            .ShouldBe(["SYSTEM_HOST", "MONITOR_HOST", "STATE_VM", "EXEC_VM", "MONITOR_VM", "MONITOR_VM", "TIMESTAMP"], document);
        agent.Process.HasExited.ShouldBeFalse(agent.Stderr);
        beacons.ShouldAllBe(b => b.Status == "SUCCESS" && b.HostId == 7 && b.Transport == "udp");
        // The decoded text is what --once prints for the category: an epoch. It is read while the
        // beacon is collected, the frame's epoch when the tick started: the same second or the next one.
        beacons.ShouldAllBe(b => OnceBeacon().IsMatch(b.Text));
        beacons.ShouldAllBe(b => long.Parse(b.Text, CultureInfo.InvariantCulture) - b.Epoch >= 0 && long.Parse(b.Text, CultureInfo.InvariantCulture) - b.Epoch <= 1);
        OnceBeacon().IsMatch(once).ShouldBeTrue(once);
        (beacons[2].Epoch - beacons[0].Epoch).ShouldBeInRange(1, 4); // BEACON_HOST period 1 s
        File.ReadAllText(Path.Join(_dir, "one_db", "etc", "monitord.conf")).ShouldContain($"PORT = \"{monitord.Port}\"");
        File.ReadAllText(Path.Join(_dir, "one_db", "config")).ShouldContain("<HOST_ID>7</HOST_ID>");
        monitord.Errors.ShouldBeEmpty();

        (await agent.TerminateAsync(TimeSpan.FromSeconds(15))).ShouldBe(0, agent.Stderr);
    }

    [Fact]
    public async Task Agent_AutoAddressWithoutSshClient_ExitsMinusOneWithUpstreamMessage()
    {
        using var agent = ProbeProcess.Start(Args(), Configuration(4124));

        var output = await agent.ReadStdoutToEndAsync(TimeSpan.FromSeconds(30));

        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).ShouldBe(255);
        output.ShouldBe("NETWORK/MONITOR_ADDRESS is \"auto\", but SSH_CLIENT unknown\n");
        File.Exists(Path.Join(_dir, "one_db", "etc", "monitord.conf")).ShouldBeFalse();
    }

    [Fact]
    public async Task Agent_BadPublicKey_ExitsMinusOneWithUpstreamMessage()
    {
        using var agent = ProbeProcess.Start(Args(), Configuration(4124, "garbage", "127.0.0.1"));

        var output = await agent.ReadStdoutToEndAsync(TimeSpan.FromSeconds(30));

        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).ShouldBe(255);
        output.ShouldBe("Public key not in PEM format\n");
    }

    [GeneratedRegex(@"^<MONITOR_MESSAGES>(<[A-Z_]+>[A-Za-z0-9+/=]*</[A-Z_]+>\n)*<TIMESTAMP>\d+</TIMESTAMP></MONITOR_MESSAGES>\n$")]
    private static partial Regex StartupDocumentShape();

    [GeneratedRegex(@"^\d{10}\n$")]
    private static partial Regex OnceBeacon();
}
