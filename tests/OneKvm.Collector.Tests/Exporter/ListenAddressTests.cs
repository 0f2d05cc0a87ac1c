using System.Net;
using OneKvm.Collector.Exporter;

namespace OneKvm.Collector.Tests.Exporter;

public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("0.0.0.0:9926", "0.0.0.0:9926")]
    [InlineData(":9926", "0.0.0.0:9926")]
    [InlineData("127.0.0.1:19926", "127.0.0.1:19926")]
    [InlineData("[::1]:9926", "[::1]:9926")]
    [InlineData("[::]:9926", "[::]:9926")]
    [InlineData("localhost:9926", "localhost:9926")]
    public void Parse_Valid_RoundTrips(string value, string shown) => ListenAddress.Parse(value).ToString().ShouldBe(shown);

    [Fact]
    public void Parse_Ipv6Wildcard_IsIPv6Any() => ListenAddress.Parse("[::]:1").Ip.ShouldBe(IPAddress.IPv6Any);

    [Theory]
    [InlineData("9926", "expected ADDRESS:PORT")]
    [InlineData("0.0.0.0:99999", "port '99999'")]
    [InlineData("0.0.0.0:http", "port 'http'")]
    [InlineData("::1:9926", "'::1' is not an IP address")]
    [InlineData("[127.0.0.1]:9926", "is not an IP address")]
    [InlineData("metrics.example:9926", "is not an IP address")]
    public void Parse_Invalid_NamesTheProblem(string value, string message) =>
        Should.Throw<FormatException>(() => ListenAddress.Parse(value)).Message.ShouldContain(message);
}
