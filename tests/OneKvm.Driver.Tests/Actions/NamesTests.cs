using OneKvm.Driver.Actions;

namespace OneKvm.Driver.Tests.Actions;

public sealed class NamesTests
{
    [Theory]
    [InlineData("one-42")]
    [InlineData("c5f37dda-a65f-4be1-9e15-93bf111d69a1")]
    public void Domain_OpenNebulaNames_Accepted(string name) => Names.Domain(name).ShouldBe(name);

    [Theory]
    [InlineData("--help")]
    [InlineData("-c")]
    [InlineData("one-1/../x")]
    [InlineData("")]
    [InlineData("one 1")]
    [InlineData("one-1\n")]
    public void Domain_OptionsPathsBlanks_Refused(string name) =>
        Should.Throw<ActionFailedException>(() => Names.Domain(name)).Message.ShouldStartWith("invalid domain name");

    [Theory]
    [InlineData("kvm2", "kvm2")]
    [InlineData("kvm2.example.org", "kvm2.example.org")]
    [InlineData("10.0.0.2", "10.0.0.2")]
    [InlineData("fe80::1", "[fe80::1]")]
    [InlineData("[2001:db8::2]", "[2001:db8::2]")]
    public void UriHost_HostNamesAndAddresses_Accepted(string host, string inUri) => Names.UriHost(host).ShouldBe(inUri);

    [Theory]
    [InlineData("kvm2?socket=/x")]
    [InlineData("kvm2/system")]
    [InlineData("kvm2#x")]
    [InlineData("-kvm2")]
    [InlineData("a@kvm2")]
    [InlineData("kvm2:22")]
    [InlineData("fe80::1%eth0")]
    [InlineData("")]
    public void UriHost_AnythingElse_Refused(string host) =>
        Should.Throw<ActionFailedException>(() => Names.UriHost(host)).Message.ShouldStartWith("invalid host name");

    [Theory]
    [InlineData("ls -l /tmp", new[] { "ls", "-l", "/tmp" })]
    [InlineData("sh -c 'echo a  b'", new[] { "sh", "-c", "echo a  b" })]
    [InlineData("echo \"x \\\"y\\\"\" z\\ w", new[] { "echo", "x \"y\"", "z w" })]
    [InlineData("  ", new string[0])]
    public void ShellWords_SplitAsShellwords(string line, string[] words) => ShellWords.Split(line).ShouldBe(words);
}
