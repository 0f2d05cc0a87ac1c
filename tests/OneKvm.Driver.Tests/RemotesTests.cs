using OneKvm.Driver.Tests.Support;

namespace OneKvm.Driver.Tests;

public sealed class RemotesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-remotes-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = DriverEntry.RunAsync(args, new StringReader(""), stdout, stderr, _ => null).GetAwaiter().GetResult();
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Install_EveryActionExecutable_UpstreamKeptAndRestored()
    {
        var kvm = Path.Join(_dir, "vmm", "kvm");
        Directory.CreateDirectory(kvm);
        File.WriteAllText(Path.Join(kvm, "deploy"), "#!/bin/bash\n# upstream deploy\n");
        File.WriteAllText(Path.Join(kvm, "kvmrc"), "export LIBVIRT_URI=qemu:///system\n");

        var installed = Run("remotes", "--driver", "/opt/onekvm/onekvm-driver", kvm);
        installed.Code.ShouldBe(0, installed.Stderr);
        foreach (var action in ActionCatalog.All)
        {
            var path = Path.Join(kvm, action.Name);
            File.ReadAllText(path).ShouldBe(Remotes.Script(action.Name, "/opt/onekvm/onekvm-driver"));
            File.GetUnixFileMode(path).HasFlag(UnixFileMode.OtherExecute).ShouldBeTrue();
        }
        File.ReadAllText(Path.Join(kvm, ".upstream", "deploy")).ShouldContain("upstream deploy");
        File.ReadAllText(Path.Join(kvm, "kvmrc")).ShouldContain("LIBVIRT_URI", customMessage: "kvmrc is not an action: untouched");

        Run("remotes", kvm).Code.ShouldBe(0); // again: the upstream copy is not overwritten by ours
        File.ReadAllText(Path.Join(kvm, ".upstream", "deploy")).ShouldContain("upstream deploy");

        var restored = Run("remotes", "--restore", kvm);
        restored.Code.ShouldBe(0, restored.Stderr);
        File.ReadAllText(Path.Join(kvm, "deploy")).ShouldContain("upstream deploy");
        File.Exists(Path.Join(kvm, "exec")).ShouldBeFalse("ours with no upstream counterpart are removed");
        Directory.Exists(Path.Join(kvm, ".upstream")).ShouldBeFalse();
    }

    [Fact]
    public void Install_IntoAFile_OneLineError()
    {
        var file = Path.Join(_dir, "file");
        File.WriteAllText(file, "");
        var result = Run("remotes", Path.Join(file, "kvm"));
        result.Code.ShouldBe(1);
        result.Stderr.Trim().Split('\n').Length.ShouldBe(1);
        result.Stderr.ShouldNotContain("   at ");
    }

    [Fact]
    public void Script_UsesTheKvmrcBesideTheRemotes() =>
        Remotes.Script("deploy", "/usr/bin/onekvm-driver").ShouldContain("$(dirname \"$0\")/../../etc/vmm/kvm/kvmrc");
}

public sealed class OneVmmExecInterpretTests
{
    [Fact]
    public void Interpret_LogLinesAndGluedFailureInfo_AsDriverExecHelper()
    {
        var answer = OneVmmExec.Interpret(1, "", "ERROR: deploy: Command \"virsh create\" failed: boom\nfirst\nINFO: 42 note\nsecond\n");
        answer.Result.ShouldBe("FAILURE");
        answer.Info.ShouldBe("firstsecond");
        answer.Logs.ShouldBe(["LOG E -1 deploy: Command \"virsh create\" failed: boom", "LOG I 42 note"]);
        OneVmmExec.Interpret(0, "uuid\n", "").Info.ShouldBe("uuid");
        OneVmmExec.Interpret(0, "", "").Info.ShouldBe("-");
    }
}
