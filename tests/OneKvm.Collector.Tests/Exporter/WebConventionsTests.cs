using System.IO.Compression;
using System.Net;
using System.Text;
using OneKvm.Collector.Tests.Support;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Exporter;

/// <summary>
/// <c>serve</c>'s HTTP side as a real process (stand-in virsh, beacon and libvirt check only):
/// exporter-toolkit TLS and basic auth, a real Prometheus scraping over both, health and readiness,
/// 405, gzip encoded once per snapshot, several listen addresses, refused web configs.
/// </summary>
public sealed class WebConventionsTests : IDisposable
{
    private const string User = "prometheus";
    private const string Password = "s3cret-ä";

    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-web-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] BeaconOnly = new[] { "system_host", "monitor_host", "vm_stats", "cgroups", "state_vm", "monitor_vm", "poll" }
        .Select((name, i) => $"--Serve:ExcludeCategories:{i}={name}").ToArray();

    /// <summary>A replayed libvirt (the recorded scenario <c>libvirtd-up</c>), the given interval, the beacon only.</summary>
    private static string[] StandIn(double interval, string? recording = null) =>
        [$"--Libvirt:Replay={recording ?? Path.Join(TestPaths.Fixtures, "libvirt", "libvirtd-up.json")}", $"--Serve:IntervalSeconds={interval}", .. BeaconOnly];

    private static Dictionary<string, string?> Environment => [];

    private string WebConfig(TestCertificate certificate)
    {
        var path = Path.Join(_dir, "web.yml");
        File.WriteAllText(path, $"""
            # exporter-toolkit web configuration
            tls_server_config:
              cert_file: {Path.GetFileName(certificate.CertFile)}
              key_file: {certificate.KeyFile}
            basic_auth_users:
              {User}: {BCrypt.Net.BCrypt.HashPassword(Password, workFactor: 10)}
              other: {BCrypt.Net.BCrypt.HashPassword("unrelated", workFactor: 10)}
            """);
        return path;
    }

    /// <summary>Every probe serve runs here has reported (libvirt and the categories <see cref="BeaconOnly"/> leaves).</summary>
    private static bool Ready(string body) => new[] { "libvirt", "exec_vm", "snapshot_vm", "beacon_host" }
        .All(probe => body.Contains($"onekvm_probe_success{{probe=\"{probe}\"}}", StringComparison.Ordinal));

    [Fact]
    public async Task Serve_TlsAndBasicAuth_RefusesMissingAndWrongCredentialsAcceptsRightOnes()
    {
        using var certificate = TestCertificate.Create(_dir);
        using var serve = ServeProcess.Start(_dir, [.. StandIn(3600), "--web.config.file", WebConfig(certificate)], Environment,
            scheme: "https", client: certificate.Client(User, Password));
        var body = await serve.WaitForAsync(Ready, TimeSpan.FromSeconds(30));
        body.ShouldContain("onekvm_build_info{");

        foreach (var (client, what) in new[]
                 {
                     (certificate.Client(), "no credentials"), (certificate.Client(User, "wrong"), "wrong password"),
                     (certificate.Client("nobody", Password), "unknown user"), (certificate.Client("other", Password), "another user's password"),
                 })
        {
            using (client)
            {
                foreach (var path in new[] { "/metrics", "/", "/-/healthy" })
                {
                    using var refused = await client.GetAsync(serve.BaseUrl + path);
                    refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"{what} {path}");
                    refused.Headers.WwwAuthenticate.ToString().ShouldStartWith("Basic realm=");
                    (await refused.Content.ReadAsStringAsync()).ShouldNotContain("onekvm_");
                }
            }
        }
        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Should.ThrowAsync<HttpRequestException>(() => plain.GetStringAsync($"http://127.0.0.1:{serve.Port}/metrics"));
        using var again = certificate.Client(User, Password);
        (await again.GetStringAsync(serve.Url)).ShouldContain("onekvm_libvirt_up 1\n"); // the remembered verification still answers
    }

    [Fact]
    public async Task Prometheus_ScrapingOverTlsWithBasicAuth_IsUpAndWithAWrongPasswordIsRefused()
    {
        using var certificate = TestCertificate.Create(_dir);
        using var serve = ServeProcess.Start(_dir, [.. StandIn(1), "--web.config.file", WebConfig(certificate)], Environment,
            scheme: "https", client: certificate.Client(User, Password));
        await serve.WaitForAsync(Ready, TimeSpan.FromSeconds(30));
        using var prometheus = PrometheusServer.StartWithConfig(dir =>
        {
            File.WriteAllText(Path.Join(dir, "password"), Password);
            File.WriteAllText(Path.Join(dir, "wrong"), "not-it");
            return $"""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: onekvm
                    scheme: https
                    tls_config: {"{"} ca_file: {certificate.CertFile} {"}"}
                    basic_auth: {"{"} username: {User}, password_file: {Path.Join(dir, "password")} {"}"}
                    static_configs: [{"{"} targets: ['127.0.0.1:{serve.Port}'] {"}"}]
                  - job_name: wrong-password
                    scheme: https
                    tls_config: {"{"} ca_file: {certificate.CertFile} {"}"}
                    basic_auth: {"{"} username: {User}, password_file: {Path.Join(dir, "wrong")} {"}"}
                    static_configs: [{"{"} targets: ['127.0.0.1:{serve.Port}'] {"}"}]
                """;
        });

        var up = await prometheus.WaitForAsync("up{job=\"onekvm\"}", r => r[0].Value == 1, TimeSpan.FromSeconds(60));
        var libvirt = await prometheus.WaitForAsync("onekvm_libvirt_up{job=\"onekvm\"}", _ => true, TimeSpan.FromSeconds(30));
        var refused = await prometheus.WaitForAsync("up{job=\"wrong-password\"}", _ => true, TimeSpan.FromSeconds(30));

        up.Single().Labels["instance"].ShouldBe($"127.0.0.1:{serve.Port}");
        libvirt.Single().Value.ShouldBe(1);
        refused.Single().Value.ShouldBe(0);
        (await prometheus.QueryAsync("onekvm_libvirt_up{job=\"wrong-password\"}")).ShouldBeEmpty();
        using var targets = await prometheus.ApiAsync("/api/v1/targets");
        var wrong = targets.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
            .Single(t => t.GetProperty("labels").GetProperty("job").GetString() == "wrong-password");
        (wrong.GetProperty("lastError").GetString() ?? "").ShouldContain("401");
    }

    [Fact]
    public async Task Serve_HealthReadyMethodsGzipAndTwoListenAddresses()
    {
        var second = ServeProcess.FreeTcpPort();
        using var serve = ServeProcess.Start(_dir, [.. StandIn(3600), "--web.listen-address", $"[::1]:{second}"], Environment);
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { Timeout = TimeSpan.FromSeconds(10) };
        await serve.WaitForAsync(Ready, TimeSpan.FromSeconds(30));

        (await http.GetStringAsync($"{serve.BaseUrl}/-/healthy")).ShouldBe("Healthy.\n");
        (await http.GetStringAsync($"http://[::1]:{second}/-/healthy")).ShouldBe("Healthy.\n");
        using (var ready = await http.GetAsync($"{serve.BaseUrl}/-/ready")) ready.StatusCode.ShouldBe(HttpStatusCode.OK);

        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Options, HttpMethod.Patch })
        {
            using var answer = await http.SendAsync(new HttpRequestMessage(method, serve.Url));
            answer.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed, method.Method);
            answer.Content.Headers.Allow.ShouldBe(["GET", "HEAD"], ignoreOrder: true);
        }
        using (var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, serve.Url)))
        {
            head.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await head.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
        }

        var plain = await http.GetByteArrayAsync(serve.Url);
        var gzipped = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, serve.Url);
            request.Headers.AcceptEncoding.ParseAdd("gzip, deflate");
            using var answer = await http.SendAsync(request);
            answer.Content.Headers.ContentEncoding.ShouldBe(["gzip"]);
            answer.Headers.Vary.ShouldContain("Accept-Encoding");
            return await answer.Content.ReadAsByteArrayAsync();
        }));
        gzipped.Select(Convert.ToBase64String).Distinct().Count().ShouldBe(1); // the same compressed bytes within one snapshot
        gzipped[0].Length.ShouldBeLessThan(plain.Length);
        using var unzip = new GZipStream(new MemoryStream(gzipped[0]), CompressionMode.Decompress);
        using var unzipped = new MemoryStream();
        await unzip.CopyToAsync(unzipped);
        Encoding.UTF8.GetString(unzipped.ToArray()).ShouldBe(Encoding.UTF8.GetString(plain));

        var text = Encoding.UTF8.GetString(plain);
        text.ShouldContain("process_cpu_seconds_total ");
        text.ShouldContain("dotnet_total_memory_bytes ");
        text.ShouldMatch(@"onekvm_build_info\{version=""[^""]+"",revision=""[0-9a-f]{7,40}""\} 1");
        var (exitCode, output) = await Promtool.CheckMetricsAsync(text);
        exitCode.ShouldBe(0, output);
        (await serve.TerminateAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Serve_Ready_Is503UntilEveryProbeHasRun()
    {
        // A libvirt that hangs every call: the libvirt check never completes within the run below.
        var hang = Path.Join(_dir, "hang.json");
        await File.WriteAllTextAsync(hang, """{ "uri": "qemu:///system", "origin": "test: every call hangs", "failures": { "*": { "kind": "hang" } } }""");
        using var serve = ServeProcess.Start(_dir, [.. StandIn(3600, hang), "--Libvirt:TimeoutSeconds=600"], Environment);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await serve.WaitForAsync(b => b.Contains("onekvm_probe_success{probe=\"beacon_host\"}", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        using var ready = await http.GetAsync($"{serve.BaseUrl}/-/ready");
        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await ready.Content.ReadAsStringAsync()).ShouldContain("libvirt");
        (await http.GetStringAsync($"{serve.BaseUrl}/-/healthy")).ShouldBe("Healthy.\n");
    }

    [Theory]
    [InlineData("tls_server_config:\n  cert_file: a.crt\n", "web.yml:2: tls_server_config.key_file is required")]
    [InlineData("basic_auth_users:\n  alice: plaintext\n", "web.yml:2: basic_auth_users.alice: not a bcrypt hash")]
    [InlineData("tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n  min_version: TLS13\n", "web.yml:4: tls_server_config.min_version is not supported")]
    [InlineData("basic_auth_user:\n  alice: x\n", "web.yml:1: unknown field 'basic_auth_user'")]
    [InlineData("tls_server_config:\n  cert_file: missing.crt\n  key_file: missing.key\n", "cannot load cert_file")]
    public async Task Serve_BadWebConfig_ExitsTwoNamingFileLineAndField(string yaml, string message)
    {
        var path = Path.Join(_dir, "web.yml");
        await File.WriteAllTextAsync(path, yaml);
        using var process = ProbeProcess.Start(["serve", "--listen", $"127.0.0.1:{ServeProcess.FreeTcpPort()}", "--web.config.file", path, .. StandIn(3600)],
            environment: Environment);
        (await process.WaitForExitAsync(TimeSpan.FromSeconds(30))).ShouldBe(2);
        process.Stderr.ShouldContain(message);
        process.Stderr.ShouldNotContain("   at ");
    }
}
