using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OneKvm.Collector.Tests.Support;

/// <summary>A self-signed server certificate for 127.0.0.1 / localhost made in the test, written as PEM files.</summary>
internal sealed class TestCertificate : IDisposable
{
    private TestCertificate(X509Certificate2 certificate, string certFile, string keyFile)
    {
        Certificate = certificate;
        CertFile = certFile;
        KeyFile = keyFile;
    }

    public X509Certificate2 Certificate { get; }

    public string CertFile { get; }

    public string KeyFile { get; }

    public static TestCertificate Create(string directory, string name = "serve")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=onekvm-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true)); // self-signed: its own CA
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        var certFile = Path.Join(directory, $"{name}.crt");
        var keyFile = Path.Join(directory, $"{name}.key");
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return new TestCertificate(certificate, certFile, keyFile);
    }

    /// <summary>A client trusting exactly this certificate (pinned), optionally with basic-auth credentials.</summary>
    public HttpClient Client(string? user = null, string? password = null)
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented is not null && presented.Thumbprint == Certificate.Thumbprint,
            AutomaticDecompression = DecompressionMethods.None,
        };
        var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}")));
        }
        return client;
    }

    public void Dispose() => Certificate.Dispose();
}
