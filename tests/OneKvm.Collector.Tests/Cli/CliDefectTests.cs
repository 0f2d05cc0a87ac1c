using OneKvm.Collector.Commands;
using OneKvm.Collector.Configuration;
using OneKvm.Collector.Tests.Once;

namespace OneKvm.Collector.Tests.Cli;

/// <summary>
/// Each command-line and configuration defect of issue 11 answers with one clear line on stderr,
/// nothing on stdout and the documented exit code (2 usage/configuration), never a stack trace.
/// </summary>
[Collection(ProcessEnvironmentTests.Name)]
public sealed class CliDefectTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Kvmrc()
    {
        var path = Path.Join(_dir, "kvmrc");
        File.WriteAllText(path, "");
        return path;
    }

    private string Write(string name, string text)
    {
        var path = Path.Join(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Runs the entry; asserts exit 2 with one line and no stack trace; returns that line.</summary>
    private static async Task<string> UsageError(params string[] args)
    {
        var result = await OnceRunner.RunAsync(args);
        result.ExitCode.ShouldBe(2, result.Stderr);
        result.Stdout.ShouldBeEmpty();
        result.Stderr.ShouldEndWith("\n");
        result.Stderr.TrimEnd('\n').ShouldNotContain('\n');
        result.Stderr.ShouldNotContain("   at ");
        result.Stderr.ShouldStartWith("onekvm-probe: ");
        return result.Stderr.TrimEnd('\n');
    }

    [Theory]
    [InlineData("serve", "--listen, --web.listen-address <ADDR:PORT>")]
    [InlineData("cgroups", "--fix")]
    [InlineData("agent", "MONITOR_CONFIGURATION")]
    public async Task HelpCommand_ShowsThatCommandsHelp(string command, string expected)
    {
        foreach (var args in new[] { new[] { "help", command }, new[] { command, "--help" } })
        {
            var result = await OnceRunner.RunAsync(args);
            result.ExitCode.ShouldBe(0, result.Stderr);
            result.Stderr.ShouldBeEmpty();
            result.Stdout.ShouldContain($"onekvm-probe {command}");
            result.Stdout.ShouldContain(expected);
            result.Stdout.ShouldContain("Exit status:");
        }
    }

    [Fact]
    public async Task OptionOfAnotherCommand_IsRejectedNamingItsCommand()
    {
        (await UsageError("serve", "--fix", "--kvmrc", Kvmrc())).ShouldBe("onekvm-probe: serve: --fix is not an option of serve (an option of cgroups)");
        (await UsageError("--once", "--format", "json", "--kvmrc", Kvmrc())).ShouldBe("onekvm-probe: --format is not an option of --once (an option of cgroups)");
        (await UsageError("agent", "--listen", "127.0.0.1:1")).ShouldContain("(an option of serve)");
    }

    [Fact]
    public async Task Typos_GetASuggestion()
    {
        (await UsageError("once")).ShouldBe("onekvm-probe: unexpected argument 'once' (did you mean --once?) (see --help)");
        (await UsageError("serve", "--lisen", "127.0.0.1:9926")).ShouldContain("unknown option '--lisen' (did you mean --listen?)");
        (await UsageError("cgroup")).ShouldContain("(did you mean cgroups?)");
    }

    [Fact]
    public async Task OptionValueOutsideItsChoices_IsOneLine()
    {
        (await UsageError("cgroups", "--format", "xml")).ShouldContain("'xml'");
        (await UsageError("help", "nope")).ShouldBe("onekvm-probe: help: unknown command 'nope'");
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("NaN")]
    [InlineData("1e300")]
    [InlineData("0")]
    public async Task LibvirtTimeoutOutOfRange_IsAConfigurationError(string value)
    {
        (await UsageError("--once", "--kvmrc", Kvmrc(), $"--Libvirt:TimeoutSeconds={value}"))
            .ShouldBe($"onekvm-probe: argument --Libvirt:TimeoutSeconds: Libvirt:TimeoutSeconds={value}: must be a number of seconds above 0 to 3600");
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("0")]
    public async Task ServeInterval_BelowOneSecond_IsRejectedBeforeAnythingRuns(string value)
    {
        (await UsageError("serve", "--kvmrc", Kvmrc(), "--listen", "127.0.0.1:0", $"--Serve:IntervalSeconds={value}"))
            .ShouldBe($"onekvm-probe: argument --Serve:IntervalSeconds: Serve:IntervalSeconds={value}: must be a number of seconds from 1 to 86400");
    }

    [Fact]
    public async Task ServeListen_OnAnAddressTheHostLacks_IsAConfigurationError()
    {
        // 192.0.2.0/24 is TEST-NET-1: never assigned to a host.
        (await UsageError("serve", "--kvmrc", Kvmrc(), "--listen", "192.0.2.1:19926"))
            .ShouldBe("onekvm-probe: argument --listen: Serve:Listen=192.0.2.1:19926: 192.0.2.1 is not an address of this host");
    }

    [Fact]
    public async Task ServeListen_UnbracketedIpv6_SaysHowToWriteIt()
    {
        (await UsageError("serve", "--kvmrc", Kvmrc(), "--listen", "::1:9926"))
            .ShouldBe("onekvm-probe: argument --listen: Serve:Listen=::1:9926: an IPv6 address goes in brackets: [::1]:9926");
    }

    [Fact]
    public async Task UnknownKey_OnTheCommandLine_NamesItAndSuggests()
    {
        (await UsageError("--once", "--kvmrc", Kvmrc(), "--Libvirt:TimeoutSecondz=5"))
            .ShouldBe("onekvm-probe: argument --Libvirt:TimeoutSecondz: unknown configuration key 'Libvirt:TimeoutSecondz' (did you mean Libvirt:TimeoutSeconds?)");
    }

    [Fact]
    public async Task UnknownSection_InJson_NamesFileAndLine()
    {
        var json = Write("onekvm.json", "{\n  \"Libvirt\": { \"TimeoutSeconds\": 5 },\n  \"Serv\": { \"Listen\": \"127.0.0.1:9926\" }\n}\n");
        (await UsageError("--once", "--kvmrc", Kvmrc(), "--config", json))
            .ShouldStartWith($"onekvm-probe: {json}:3: unknown configuration section 'Serv' (did you mean Serve?)");
    }

    [Fact]
    public async Task MalformedJson_NamesLineAndColumn()
    {
        var json = Write("bad.json", "{\n  \"Libvirt\": {\n    \"TimeoutSeconds\": 5,,\n  }\n}\n");
        (await UsageError("--once", "--kvmrc", Kvmrc(), "--config", json)).ShouldStartWith($"onekvm-probe: {json}:3:");
    }

    [Fact]
    public async Task WrongType_UsesAFriendlyName()
    {
        (await UsageError("--once", "--kvmrc", Kvmrc(), "--host-id", "abc"))
            .ShouldBe("onekvm-probe: argument --host-id: Probes:HostId: 'abc' is not a whole number");
        var env = new Dictionary<string, string?> { ["ONEKVM_Serve__OpenNebulaLibvirtMetrics"] = "maybe" };
        var e = Should.Throw<ConfigurationException>(() =>
            ConfigurationLoader.Load(CommandLineArgs.Parse(["--once", "--kvmrc", Kvmrc()]), env));
        e.Message.ShouldBe("environment ONEKVM_Serve__OpenNebulaLibvirtMetrics: Serve:OpenNebulaLibvirtMetrics: 'maybe' is not true or false");
    }

    [Fact]
    public void ListFromJson_ReplacesTheDefault_SoMonitorVmCanBeReEnabled()
    {
        var json = Write("onekvm.json", """{ "Serve": { "ExcludeCategories": [ "state_vm" ] } }""");
        var options = ConfigurationLoader.Load(CommandLineArgs.Parse(["--once", "--kvmrc", Kvmrc(), "--config", json]), new Dictionary<string, string?>());
        options.Serve.ExcludeCategories.ShouldBe(["state_vm"]);

        var libvirt = new OneKvm.Libvirt.Replay.ReplayLibvirtClient(new OneKvm.Libvirt.Replay.LibvirtRecording());
        var context = ContextFactory.Create(options, libvirt, TimeSpan.Zero);
        ServeCommand.Sources(options.Serve, context).Probes.Select(p => p.Name).ShouldContain("monitor_vm");

        // A list on the command line replaces the JSON list in turn; an empty JSON list excludes nothing.
        var cli = ConfigurationLoader.Load(CommandLineArgs.Parse(["--once", "--kvmrc", Kvmrc(), "--config", json, "--Serve:ExcludeCategories:0=poll"]),
            new Dictionary<string, string?>());
        cli.Serve.ExcludeCategories.ShouldBe(["poll"]);
        var empty = Write("empty.json", """{ "Serve": { "ExcludeCategories": [] } }""");
        ConfigurationLoader.Load(CommandLineArgs.Parse(["--once", "--kvmrc", Kvmrc(), "--config", empty]), new Dictionary<string, string?>())
            .Serve.ExcludeCategories.ShouldBeEmpty();
    }

    [Fact]
    public async Task UnknownProbeName_InServeLists_IsAnError()
    {
        (await UsageError("serve", "--kvmrc", Kvmrc(), "--listen", "127.0.0.1:0", "--Serve:ExcludeCategories:0=monitor_vms"))
            .ShouldStartWith("onekvm-probe: argument --Serve:ExcludeCategories:0: Serve:ExcludeCategories:0=monitor_vms: is not a probe name (did you mean monitor_vm?)");
    }

    [Fact]
    public async Task UnwritableStateDirectory_IsOneWarningNamingIt()
    {
        var blocker = Write("not-a-directory", "");
        var stateDir = Path.Join(blocker, "state");
        var result = await OnceRunner.RunAsync(["--once", "--category", "beacon_host", "--kvmrc", Kvmrc(), "--state-dir", stateDir]);
        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldMatch("^[0-9]+\n$");
        result.Stderr.ShouldStartWith($"onekvm-probe: warning: state directory {stateDir} is not writable");
        result.Stderr.TrimEnd('\n').ShouldNotContain('\n');
    }

    [Fact]
    public async Task UnexpectedException_IsOneLineAndExit70()
    {
        using var stderr = new StringWriter();
        var code = await Entry.RunAsync(["--once", "--category", "beacon_host", "--kvmrc", Kvmrc(), "--state-dir", _dir], new ThrowingWriter(), stderr);
        code.ShouldBe(70);
        stderr.ToString().ShouldBe("onekvm-probe: internal error: InvalidOperationException: stdout broke (exit 70; please report it)\n");
    }

    [Fact]
    public async Task Version_PrintsVersionAndCommit()
    {
        var result = await OnceRunner.RunAsync(["--version"]);
        result.ExitCode.ShouldBe(0);
        result.Stdout.ShouldMatch(@"^onekvm-probe [0-9]+\.[0-9]+\.[0-9]+ \(commit ([0-9a-f]{7,12}|unknown)\)\n$");
    }

    private sealed class ThrowingWriter : StringWriter
    {
        public override Task WriteAsync(string? value) => throw new InvalidOperationException("stdout broke");

        public override void Write(string? value) => throw new InvalidOperationException("stdout broke");
    }
}
