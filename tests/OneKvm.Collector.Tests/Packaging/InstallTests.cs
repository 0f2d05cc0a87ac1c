using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Packaging;

/// <summary>
/// The release artefact installed into a temporary root as an admin would install it on a host:
/// every unit passes <c>systemd-analyze verify</c> there, and <c>onekvm-probe --once</c> runs from the
/// installed tree with no dotnet anywhere on PATH (self-contained), against this host's libvirtd.
/// </summary>
[Trait(TestTraits.Category, TestTraits.RealHost)]
[Collection(LibvirtGroup.Name)]
public sealed class InstallTests : IDisposable
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-install-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A root that has the host's systemd units (sysinit.target, …) for verify to resolve dependencies.</summary>
    private async Task<string> RootAsync(string name)
    {
        var root = Path.Join(_dir, name);
        Directory.CreateDirectory(Path.Join(root, "usr", "lib", "systemd"));
        (await ReleaseArtefact.RunAsync("cp", ["-a", "/usr/lib/systemd/system", Path.Join(root, "usr", "lib", "systemd")], Minute)).ExitCode.ShouldBe(0);
        return root;
    }

    private static async Task VerifyUnitsAsync(string root)
    {
        var (code, output) = await ReleaseArtefact.RunAsync("systemd-analyze", ["verify", $"--root={root}", "onekvm-serve.service", "onekvm-agent.service"], Minute);
        code.ShouldBe(0, output);
        output.ShouldNotContain("onekvm", customMessage: output); // no warning about our units
    }

    [Fact]
    public async Task Tarball_InstalledIntoATemporaryRoot_UnitsVerify_OnceRunsWithoutDotnet_UninstallRemovesIt()
    {
        var dist = await ReleaseArtefact.BuildAsync();
        var tarball = Directory.GetFiles(dist, "onekvm-*.tar.gz").Single();
        var root = await RootAsync("root");
        (await ReleaseArtefact.RunAsync("tar", ["-C", _dir, "-xzf", tarball], Minute)).ExitCode.ShouldBe(0);
        var release = Directory.GetDirectories(_dir, "onekvm-*").Single();

        var (installed, log) = await ReleaseArtefact.RunAsync("bash", [Path.Join(release, "install.sh")], Minute,
            new Dictionary<string, string?> { ["DESTDIR"] = root });
        installed.ShouldBe(0, log);
        var probe = Path.Join(root, "usr", "local", "bin", "onekvm-probe");
        File.Exists(Path.Join(root, "usr", "local", "bin", "onekvm-driver")).ShouldBeTrue();
        File.Exists(Path.Join(root, "etc", "one", "onekvm.json")).ShouldBeTrue();
        var unit = await File.ReadAllTextAsync(Path.Join(root, "etc", "systemd", "system", "onekvm-serve.service"));
        unit.ShouldContain("ExecStart=/usr/local/bin/onekvm-probe serve\n");
        await VerifyUnitsAsync(root);

        // No dotnet: PATH holds virsh only, and no DOTNET_* variable is set.
        var path = Path.Join(_dir, "path");
        Directory.CreateDirectory(path);
        File.CreateSymbolicLink(Path.Join(path, "virsh"), "/usr/bin/virsh");
        var bare = new Dictionary<string, string?> { ["PATH"] = path, ["LC_ALL"] = "C", ["HOME"] = _dir };
        (await ReleaseArtefact.RunAsync("/bin/sh", ["-c", "command -v dotnet"], Minute, bare, clearEnvironment: true)).ExitCode.ShouldNotBe(0);
        var (version, versionText) = await ReleaseArtefact.RunAsync(probe, ["--version"], Minute, bare, clearEnvironment: true);
        version.ShouldBe(0, versionText);
        versionText.ShouldMatch(@"^onekvm-probe [0-9.]+ \(commit [0-9a-f]{12}\)\n$");
        var (once, output) = await ReleaseArtefact.RunAsync(probe, ["--once", "--state-dir", Path.Join(_dir, "state"), "--kvmrc", "/dev/null"],
            TimeSpan.FromMinutes(2), bare, clearEnvironment: true);
        once.ShouldBe(0, output);
        output.ShouldContain("HYPERVISOR=kvm\n");
        output.ShouldContain("TOTALCPU=");

        var (removed, removeLog) = await ReleaseArtefact.RunAsync("bash", [Path.Join(root, "usr", "local", "share", "onekvm", "uninstall.sh")], Minute,
            new Dictionary<string, string?> { ["DESTDIR"] = root });
        removed.ShouldBe(0, removeLog);
        File.Exists(probe).ShouldBeFalse();
        File.Exists(Path.Join(root, "etc", "systemd", "system", "onekvm-serve.service")).ShouldBeFalse();
        File.Exists(Path.Join(root, "etc", "one", "onekvm.json")).ShouldBeTrue(); // configuration kept without --purge
    }

    [Fact]
    public async Task Deb_UnpackedIntoATemporaryRoot_UnitsVerifyAndPointAtUsrBin()
    {
        var dist = await ReleaseArtefact.BuildAsync();
        var deb = Directory.GetFiles(dist, "*.deb").Single();
        var root = await RootAsync("deb-root");
        (await ReleaseArtefact.RunAsync("dpkg-deb", ["-x", deb, root], Minute)).ExitCode.ShouldBe(0);
        var (infoCode, info) = await ReleaseArtefact.RunAsync("dpkg-deb", ["--field", deb, "Package", "Depends"], Minute);
        infoCode.ShouldBe(0, info);
        info.ShouldBe("Package: onekvm\nDepends: libvirt-clients\n");

        (await File.ReadAllTextAsync(Path.Join(root, "lib", "systemd", "system", "onekvm-agent.service")))
            .ShouldContain("ExecStart=/usr/bin/onekvm-probe agent\n");
        await VerifyUnitsAsync(root);
        var (code, version) = await ReleaseArtefact.RunAsync(Path.Join(root, "usr", "bin", "onekvm-driver"), ["--version"], Minute);
        code.ShouldBe(0, version);
        version.ShouldStartWith("onekvm-driver ");
    }
}
