using System.Text.Json;
using System.Text.RegularExpressions;
using OneKvm.Cgroups;
using OneKvm.Collector.Configuration;
using OneKvm.Collector.Exporter;
using OneKvm.Probes;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Packaging;

/// <summary>
/// There is no container engine here, so the Dockerfile is checked against the code: the command it
/// runs parses, the host paths it re-roots are the mounts the README's docker run line makes, the
/// user owns the state directory the probes use, the port is serve's, and the build stage runs the
/// same scripts/publish.sh that <see cref="InstallTests"/> exercises.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly string[] Lines = File.ReadAllLines(Path.Join(TestPaths.RepoRoot, "Dockerfile"));

    private static string Instruction(string name, int stage = -1)
    {
        var stages = Split();
        var lines = stage < 0 ? stages[^1] : stages[stage];
        return lines.Where(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Select(l => l[(name.Length + 1)..]).Last();
    }

    private static List<List<string>> Split()
    {
        var stages = new List<List<string>>();
        var joined = string.Join('\n', Lines).Replace("\\\n", " ", StringComparison.Ordinal).Split('\n');
        foreach (var line in joined.Where(l => !l.StartsWith('#')))
        {
            if (line.StartsWith("FROM ", StringComparison.Ordinal)) stages.Add([]);
            if (stages.Count > 0) stages[^1].Add(line);
        }
        return stages;
    }

    private static string[] Command() =>
        [.. JsonSerializer.Deserialize<string[]>(Instruction("CMD"))!];

    private static OneKvmOptions Options() =>
        ConfigurationLoader.Bind(ConfigurationLoader.Merge(CommandLineArgs.Parse(Command()), new Dictionary<string, string?>()));

    private static string DockerRunLine()
    {
        var readme = File.ReadAllText(Path.Join(TestPaths.RepoRoot, "README.md")).Replace("\\\n", " ", StringComparison.Ordinal);
        return readme.Split('\n').Single(l => l.TrimStart().StartsWith("docker run ", StringComparison.Ordinal));
    }

    [Fact]
    public void Dockerfile_IsMultiStage_BuildingWithPublishSh_OnARuntimeDepsBase()
    {
        var stages = Split();
        stages.Count.ShouldBe(2);
        stages[0][0].ShouldStartWith("FROM mcr.microsoft.com/dotnet/sdk:10.0 ");
        Instruction("RUN", 0).ShouldStartWith("bash scripts/publish.sh ");
        stages[1][0].ShouldStartWith("FROM mcr.microsoft.com/dotnet/runtime-deps:10.0 ");
        Instruction("ENTRYPOINT").ShouldBe("""["/usr/bin/onekvm-probe"]""");
    }

    [Fact]
    public void Command_IsServe_ReRootedAtHost_IncludingKvmrc()
    {
        var parsed = CommandLineArgs.Parse(Command());
        parsed.Verb.ShouldBe("serve");
        var options = Options();
        options.Paths.ShouldBe(HostPaths.UnderRoot("/host"));
        var merged = ConfigurationLoader.Merge(parsed, new Dictionary<string, string?>());
        merged.ContainsKey("Kvmrc:Path").ShouldBeFalse(); // so kvmrc is read below the root
        Path.Join(options.Paths.Remotes, ConfigurationLoader.KvmrcBelowRemotes).ShouldBe("/host/var/tmp/one/etc/vmm/kvm/kvmrc");
    }

    [Fact]
    public void ReadmeDockerRun_MountsEveryReRootedPath_AndTheLibvirtSocket()
    {
        var run = DockerRunLine();
        var paths = Options().Paths;
        foreach (var inContainer in new[] { paths.Proc, paths.Sys, paths.Remotes, paths.DatastoreLocation, paths.QemuPidDirectory })
        {
            var onHost = inContainer["/host".Length..];
            run.ShouldContain($"-v {onHost}:{inContainer}:ro");
        }
        run.ShouldContain("-v /run/libvirt:/run/libvirt"); // qemu:///system's socket, unchanged in the container
        run.ShouldContain("--network host"); // /proc/net/dev is the reader's network namespace
        MountSource().Matches(run).Select(m => m.Groups[1].Value).ShouldAllBe(s => s.StartsWith('/'));
    }

    [Fact]
    public void User_IsNonRoot_AndOwnsTheStateDirectory_PortIsServes()
    {
        var user = Instruction("USER");
        user.ShouldNotStartWith("0");
        var uid = user.Split(':')[0];
        var state = new ProbeSettings().StateDirectory;
        var runs = string.Join('\n', Split()[^1].Where(l => l.StartsWith("RUN ", StringComparison.Ordinal)));
        runs.ShouldContain($"--uid {uid} ");
        runs.ShouldContain($"install -d -o {uid} -g {uid} -m 0750 /var/tmp/one_db {state}");
        Instruction("EXPOSE").ShouldBe(ListenAddress.Parse(Options().Serve.Listen).Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"-v (\S+?):")]
    private static partial Regex MountSource();
}
