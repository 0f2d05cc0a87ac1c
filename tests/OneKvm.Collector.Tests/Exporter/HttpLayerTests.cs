using OneKvm.Collector.Exporter;
using OneKvm.Collector.Pipeline;

namespace OneKvm.Collector.Tests.Exporter;

/// <summary>Pure parts of the HTTP layer: web config parsing, Accept-Encoding, the status page's rows and escaping.</summary>
public sealed class HttpLayerTests
{
    [Fact]
    public void WebConfig_ExporterToolkitFormat_ParsesTlsClientCaAndUsers()
    {
        var config = WebConfig.Parse("""
            tls_server_config:
              cert_file: /etc/onekvm/tls.crt
              key_file: tls.key
              client_ca_file: ca.pem
              client_auth_type: "RequireAndVerifyClientCert"
            basic_auth_users:
              alice: $2y$10$mDwo.lAisC94iLAyP81MCesa29IzH37oigHC/42V2pdJlUprsJPze
            http_server_config:
              http2: true
            """, "/etc/onekvm/web.yml");
        config.Tls.ShouldNotBeNull();
        config.Tls.CertFile.ShouldBe("/etc/onekvm/tls.crt");
        config.Tls.KeyFile.ShouldBe("/etc/onekvm/tls.key"); // relative to the config file, as exporter-toolkit resolves it
        config.Tls.ClientCaFile.ShouldBe("/etc/onekvm/ca.pem");
        config.Tls.ClientAuth.ShouldBe(ClientAuthType.RequireAndVerifyClientCert);
        config.BasicAuthUsers.Keys.ShouldBe(["alice"]);
    }

    [Theory]
    [InlineData("", false, 0)]
    [InlineData("basic_auth_users:\n  bob: $2b$10$hLqFl9jSjoAAy95Z/zw8Ye8wkdMBM8c5Bn1ptYqP/AXyV0.oy0S8m\n", false, 1)]
    public void WebConfig_EmptyOrAuthOnly_IsPlainHttp(string yaml, bool tls, int users)
    {
        var config = WebConfig.Parse(yaml, "web.yml");
        (config.Tls is not null).ShouldBe(tls);
        config.BasicAuthUsers.Count.ShouldBe(users);
    }

    [Theory]
    [InlineData("tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: RequireAndVerifyClientCert\n", "web.yml:2: tls_server_config.client_auth_type RequireAndVerifyClientCert needs client_ca_file")]
    [InlineData("tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: Verify\n", "web.yml:4: tls_server_config.client_auth_type 'Verify': expected one of")]
    [InlineData("tls_server_config: [a, b]\n", "web.yml:1: tls_server_config: expected a mapping")]
    [InlineData("basic_auth_users:\n  a: [x]\n", "web.yml:2: basic_auth_users.a: expected a single value")]
    [InlineData("key: 'unterminated\n", "web.yml:")]
    public void WebConfig_Bad_NamesFileLineAndField(string yaml, string message) =>
        Should.Throw<InvalidDataException>(() => WebConfig.Parse(yaml, "web.yml")).Message.ShouldStartWith(message);

    [Theory]
    [InlineData("gzip", true)]
    [InlineData("gzip, deflate, br", true)]
    [InlineData("deflate, GZIP;q=0.5", true)]
    [InlineData("gzip;q=0", false)]
    [InlineData("*", true)]
    [InlineData("identity", false)]
    [InlineData("", false)]
    [InlineData("x-gzip", false)]
    public void AcceptsGzip_FollowsTokensAndQuality(string header, bool expected) =>
        MetricsHttpServer.AcceptsGzip(header).ShouldBe(expected);

    [Fact]
    public void LandingPage_Rows_JoinVmStatsAndAuditAndEscapeEverything()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_724_150_000);
        var input = new ExporterInput(
            [new VmMetricsSample("one-5", 5, "<script>alert(1)</script>", null, 1, 1)],
            new HostMetricsSample { Cpus = 2, MaxCpus = 1.5 },
            [new VmCgroupSample("one-5", 5)
            {
                ExpectedCpuWeight = 512, AppliedCpuWeight = 1024, CpuEntitledCores = 0.75, CpuUsedCores = 0.25, Starved = true, Noisy = false,
            }]);
        var set = SnapshotSet.Empty
            .With(new ExporterUpdate(input, [ProbeStatus.Ok("vm_stats", now, TimeSpan.FromMilliseconds(20)), ProbeStatus.Ok("cgroups", now, TimeSpan.FromMilliseconds(20))]))
            .With(ProbeStatus.Failed("system_host", now, "virsh said <nope> & left", TimeSpan.FromSeconds(1)));

        var row = LandingPage.Rows(set).ShouldHaveSingleItem();
        row.ShouldBe(new LandingPage.Row("one-5", 5, "<script>alert(1)</script>", 1, 0.25, 0.75, 512, true, false));

        var html = LandingPage.Render(set, new BuildVersion("1.2.3", "abc<def"), "kvm&1");
        html.ShouldNotContain("<script>");
        html.ShouldContain("&lt;script&gt;alert(1)&lt;/script&gt;");
        html.ShouldContain("virsh said &lt;nope&gt; &amp; left");
        html.ShouldContain("abc&lt;def");
        html.ShouldContain("onekvm-probe on kvm&amp;1");
        html.ShouldContain("<td data-label=\"Share drift\" class=\"n bad\">+512</td>");
        html.ShouldContain("<td data-label=\"Flags\" class=\"bad\">starved</td>");
        html.ShouldContain("<meta name=\"viewport\"");
    }
}
