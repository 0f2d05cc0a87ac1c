using OneKvm.Collector.Configuration;

namespace OneKvm.Collector.Tests.Configuration;

public sealed class ConfigurationLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Join(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static OneKvmOptions Load(string[] args, Dictionary<string, string?>? env = null) =>
        ConfigurationLoader.Load(CommandLineArgs.Parse(args), env ?? []);

    [Fact]
    public void Load_NothingGiven_UsesDefaults()
    {
        var options = Load(["--once", "--kvmrc", Write("kvmrc", "")]);
        options.Libvirt.Uri.ShouldBe("qemu:///system");
        options.Paths.Proc.ShouldBe("/proc");
        options.Serve.Listen.ShouldBe("0.0.0.0:9926");
    }

    [Fact]
    public void Load_EachLayer_OverridesTheOneBelow()
    {
        var json = Write("onekvm.json", """{ "Libvirt": { "Uri": "json:///", "TimeoutSeconds": 7 }, "Probes": { "HostId": 3 } }""");
        var kvmrc = Write("kvmrc", "export LIBVIRT_URI=kvmrc:///\nSHUTDOWN_TIMEOUT=180\n");

        Load(["--once", "--config", json]).Libvirt.Uri.ShouldBe("json:///");
        var fromKvmrc = Load(["--once", "--config", json, "--kvmrc", kvmrc]);
        fromKvmrc.Libvirt.Uri.ShouldBe("kvmrc:///");
        fromKvmrc.Libvirt.TimeoutSeconds.ShouldBe(7);
        fromKvmrc.Probes.Kvmrc["SHUTDOWN_TIMEOUT"].ShouldBe("180");

        var env = new Dictionary<string, string?> { ["ONEKVM_Libvirt__Uri"] = "env:///", ["OTHER"] = "x" };
        Load(["--once", "--config", json, "--kvmrc", kvmrc], env).Libvirt.Uri.ShouldBe("env:///");
        Load(["--once", "--config", json, "--kvmrc", kvmrc, "--uri", "cli:///"], env).Libvirt.Uri.ShouldBe("cli:///");
        Load(["--once", "--config", json, "--Libvirt:Uri=key:///"], env).Libvirt.Uri.ShouldBe("key:///");
    }

    [Fact]
    public void Load_ListenAddressRepeated_JoinsTheValuesAndKnowsTheWebConfigKey()
    {
        var kvmrc = Write("kvmrc", "");
        var web = Write("web.yml", "basic_auth_users:\n");
        var options = Load(["serve", "--kvmrc", kvmrc, "--listen", "127.0.0.1:19931", "--web.listen-address", "[::1]:19932", "--web.config.file", web]);
        options.Serve.Listen.ShouldBe("127.0.0.1:19931,[::1]:19932");
        options.Serve.WebConfigFile.ShouldBe(web);
        Load(["serve", "--kvmrc", kvmrc, "--Serve:WebConfigFile", web]).Serve.WebConfigFile.ShouldBe(web);
        Should.Throw<ConfigurationException>(() => Load(["serve", "--kvmrc", kvmrc, "--web.config.file", Path.Join(_dir, "missing.yml")]))
            .Message.ShouldStartWith($"argument --web.config.file: Serve:WebConfigFile: {_dir}/missing.yml: cannot read the web configuration file");
        Should.Throw<ConfigurationException>(() => Load(["serve", "--kvmrc", kvmrc, "--Serve:WebConfigFiles=/k.yml"]))
            .Message.ShouldContain("did you mean Serve:WebConfigFile?");
        Should.Throw<ConfigurationException>(() => Load(["serve", "--kvmrc", kvmrc, "--web.listen-address", "127.0.0.1:1,::1:2"]))
            .Message.ShouldBe("argument --web.listen-address: Serve:Listen=127.0.0.1:1,::1:2: an IPv6 address goes in brackets: [::1]:2");
    }

    [Fact]
    public void Load_KvmrcPathFromJson_IsRead()
    {
        var kvmrc = Write("kvmrc", "LIBVIRT_URI=\"qemu+tcp://localhost/system\"\n");
        var json = Write("onekvm.json", $$"""{ "Kvmrc": { "Path": "{{kvmrc}}" } }""");
        Load(["--once", "--config", json]).Libvirt.Uri.ShouldBe("qemu+tcp://localhost/system");
    }

    [Fact]
    public void Load_Root_ReRootsEveryKernelPath()
    {
        var options = Load(["--once", "--kvmrc", Write("kvmrc", ""), "--root", "/fx"]);
        options.Paths.Proc.ShouldBe("/fx/proc");
        options.Paths.Sys.ShouldBe("/fx/sys");
        options.Paths.CgroupRoot.ShouldBe("/fx/sys/fs/cgroup");
        options.Paths.DatastoreLocation.ShouldBe("/fx/var/lib/one/datastores");
    }

    [Fact]
    public void Load_MalformedKvmrc_NamesFileAndLine()
    {
        var kvmrc = Write("kvmrc", "export A=1\nB=two words\n");
        var e = Should.Throw<FormatException>(() => Load(["--once", "--kvmrc", kvmrc]));
        e.Message.ShouldStartWith($"{kvmrc}:2: ");
    }

    [Fact]
    public void Load_MissingConfigFile_IsAnError()
    {
        var e = Should.Throw<FileNotFoundException>(() => Load(["--once", "--config", Path.Join(_dir, "nope.json")]));
        e.Message.ShouldContain("nope.json");
    }

    [Fact]
    public void Load_MissingExplicitKvmrc_IsAnError()
    {
        Should.Throw<InvalidDataException>(() => Load(["--once", "--kvmrc", Path.Join(_dir, "nope")]))
            .Message.ShouldContain("nope");
    }

    [Fact]
    public void Load_BrokenJson_NamesFile()
    {
        var json = Write("bad.json", "{ \"Libvirt\": ");
        var e = Should.Throw<Exception>(() => Load(["--once", "--config", json]));
        e.Message.ShouldContain("bad.json");
    }
}
