using System.Security.Cryptography;
using OneKvm.Collector.Agent;

namespace OneKvm.Collector.Tests.Agent;

public sealed class MonitorConfigurationTests
{
    /// <summary>The shipped defaults as monitord sends them (spec §3.1), one line, elements sorted.</summary>
    internal const string Shipped =
        "<MONITOR_CONFIGURATION><DATASTORE_LOCATION>/var/lib/one//datastores</DATASTORE_LOCATION><DB><CONNECTIONS>15</CONNECTIONS></DB>" +
        "<HOST_MONITORING_EXPIRATION_TIME>43200</HOST_MONITORING_EXPIRATION_TIME><IM_MAD><ARGUMENTS>-r 3 -t 15 -w 90 kvm</ARGUMENTS>" +
        "<EXECUTABLE>one_im_ssh</EXECUTABLE><NAME>kvm</NAME><SUNSTONE_NAME>KVM</SUNSTONE_NAME><THREADS>0</THREADS></IM_MAD>" +
        "<LOG><DEBUG_LEVEL>3</DEBUG_LEVEL><SYSTEM>FILE</SYSTEM></LOG><MANAGER_TIMER>15</MANAGER_TIMER>" +
        "<MONITORING_INTERVAL_HOST>180</MONITORING_INTERVAL_HOST><NETWORK><ADDRESS>::</ADDRESS><MONITOR_ADDRESS>auto</MONITOR_ADDRESS>" +
        "<PORT>4124</PORT><PRIKEY/><PUBKEY/><THREADS>8</THREADS></NETWORK><PROBES_PERIOD><BEACON_HOST>30</BEACON_HOST><EXEC_VM>5</EXEC_VM>" +
        "<MONITOR_HOST>120</MONITOR_HOST><MONITOR_VM>30</MONITOR_VM><STATE_VM>5</STATE_VM><SYNC_STATE_VM>180</SYNC_STATE_VM>" +
        "<SYSTEM_HOST>600</SYSTEM_HOST></PROBES_PERIOD><VM_MONITORING_EXPIRATION_TIME>43200</VM_MONITORING_EXPIRATION_TIME>" +
        "<HOST_ID>7</HOST_ID></MONITOR_CONFIGURATION>";

    [Fact]
    public void Parse_ShippedDefaults_ReadsEveryValue()
    {
        var c = MonitorConfiguration.Parse(Shipped);

        c.HostId.ShouldBe(7);
        c.MonitorAddress.ShouldBe("auto");
        c.Port.ShouldBe(4124);
        c.PublicKeyPem.ShouldBeNull();
        c.Periods.ShouldBe(new ProbePeriods(30, 600, 120, 5, 5, 30, 180));
        c.DatastoreLocation.ShouldBe("/var/lib/one//datastores");
    }

    [Fact]
    public void Parse_PeriodsVectorWithoutExecVm_FallsBackPerKey()
    {
        var xml = "<MONITOR_CONFIGURATION><HOST_ID>3</HOST_ID><PROBES_PERIOD><STATE_VM>10</STATE_VM><MONITOR_VM>90</MONITOR_VM></PROBES_PERIOD></MONITOR_CONFIGURATION>";

        var c = MonitorConfiguration.Parse(xml);

        c.Periods.ShouldBe(ProbePeriods.Fallback with { StateVm = 10, MonitorVm = 90 });
        c.Port.ShouldBe(4124);
        c.DatastoreLocation.ShouldBe("/var/lib/one/datastores");
    }

    [Theory]
    [InlineData("<MONITOR_CONFIGURATION><NETWORK/></MONITOR_CONFIGURATION>", "HOST_ID is missing")]
    [InlineData("<MONITOR_CONFIGURATION><HOST_ID>x</HOST_ID></MONITOR_CONFIGURATION>", "HOST_ID is 'x'")]
    [InlineData("<MONITOR_CONFIGURATION><HOST_ID>1</HOST_ID><NETWORK><PORT>70000</PORT></NETWORK></MONITOR_CONFIGURATION>", "NETWORK/PORT is '70000'")]
    [InlineData("<MONITOR_CONFIGURATION><HOST_ID>1</HOST_ID><PROBES_PERIOD><STATE_VM>0</STATE_VM></PROBES_PERIOD></MONITOR_CONFIGURATION>", "PROBES_PERIOD/STATE_VM is '0'")]
    [InlineData("<MONITOR_CONFIGURATION><HOST_ID>1</HOST_ID>", "not well-formed XML")]
    [InlineData("<HOST><ID>1</ID></HOST>", "root element is <HOST>")]
    public void Parse_BadInput_NamesTheField(string xml, string message) =>
        Should.Throw<InvalidDataException>(() => MonitorConfiguration.Parse(xml)).Message.ShouldContain(message);

    [Fact]
    public void ResolveAddress_Auto_TakesFirstFieldOfSshClient()
    {
        var c = MonitorConfiguration.Parse(Shipped);

        c.ResolveAddress("192.0.2.10 51234 22").ShouldBe("192.0.2.10");
        Should.Throw<InvalidDataException>(() => c.ResolveAddress(null))
            .Message.ShouldBe("NETWORK/MONITOR_ADDRESS is \"auto\", but SSH_CLIENT unknown");
        (c with { MonitorAddress = "front.example" }).ResolveAddress(null).ShouldBe("front.example");
    }

    [Fact]
    public void LoadPublicKey_FlattenedPem_LoadsTheKey()
    {
        using var key = RSA.Create(2048);
        var flattened = key.ExportRSAPublicKeyPem().ReplaceLineEndings(" ");
        var c = MonitorConfiguration.Parse(Shipped.Replace("<PUBKEY/>", $"<PUBKEY>{flattened}</PUBKEY>", StringComparison.Ordinal));

        using var loaded = c.LoadPublicKey()!;

        loaded.ExportRSAPublicKey().ShouldBe(key.ExportRSAPublicKey());
    }

    [Theory]
    [InlineData("not a key")]
    [InlineData("-----BEGIN PUBLIC KEY----- AAAA -----END PUBLIC KEY-----")]
    [InlineData("-----BEGIN RSA PUBLIC KEY----- bm90IGRlcg== -----END RSA PUBLIC KEY-----")]
    public void LoadPublicKey_NotPkcs1Pem_FailsWithUpstreamMessage(string value) =>
        Should.Throw<InvalidDataException>(() => new MonitorConfiguration { HostId = 1, PublicKeyPem = value }.LoadPublicKey())
            .Message.ShouldBe("Public key not in PEM format");
}
