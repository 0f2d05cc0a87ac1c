using OneKvm.Libvirt.Configuration;

namespace OneKvm.Libvirt.Tests.Configuration;

/// <summary>kvmrc sourced by the real bash, as upstream's scripts do.</summary>
public sealed class KvmrcTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-kvmrc-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string text)
    {
        var path = Path.Join(_dir, "kvmrc");
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("export LIBVIRT_URI=qemu:///system", "LIBVIRT_URI", "qemu:///system")]
    [InlineData("LIBVIRT_URI=qemu+tcp://localhost/system", "LIBVIRT_URI", "qemu+tcp://localhost/system")]
    [InlineData("export VIRTIOFSD_BINARY_PATH=\"/usr/libexec/virtiofsd /usr/lib/qemu/virtiofsd\"", "VIRTIOFSD_BINARY_PATH", "/usr/libexec/virtiofsd /usr/lib/qemu/virtiofsd")]
    [InlineData("SHUTDOWN_TIMEOUT=180   # seconds", "SHUTDOWN_TIMEOUT", "180")]
    [InlineData("X='a \"b\" $c'", "X", "a \"b\" $c")]
    [InlineData("  export\tLANG=C", "LANG", "C")]
    [InlineData("EMPTY=", "EMPTY", "")]
    [InlineData("X=a\\ b", "X", "a b")]
    public void Evaluate_Assignment_GivesValue(string line, string name, string value)
    {
        Kvmrc.Evaluate(Write(line + "\n"))[name].ShouldBe(value);
    }

    [Fact]
    public void Evaluate_ShellLogic_IsEvaluatedAsBashDoes()
    {
        var vars = Kvmrc.Evaluate(Write("""
            # shipped shape
            export LANG=C
            BASE=qemu
            export LIBVIRT_URI=${BASE}:///system
            #export MIGRATE_OPTIONS=--unsafe
            if [ "$BASE" = qemu ]; then
                SHUTDOWN_TIMEOUT=$((60 * 3))
            else
                SHUTDOWN_TIMEOUT=1
            fi
            pick() { echo "from-function"; }
            FROM_FUNCTION=$(pick)
            [ -e /nonexistent-onekvm ] && NEVER=1
            DEFAULTED=${UNSET_ONE:-fallback}
            """));
        vars["LIBVIRT_URI"].ShouldBe("qemu:///system");
        vars["SHUTDOWN_TIMEOUT"].ShouldBe("180");
        vars["FROM_FUNCTION"].ShouldBe("from-function");
        vars["DEFAULTED"].ShouldBe("fallback");
        vars["LANG"].ShouldBe("C");
        vars.ShouldNotContainKey("NEVER");
        vars.ShouldNotContainKey("MIGRATE_OPTIONS");
        vars.ShouldNotContainKey("PWD");
        vars.ShouldNotContainKey("_");
    }

    [Fact]
    public void Evaluate_CleanEnvironment_CallerVariablesDoNotLeakIn()
    {
        Environment.SetEnvironmentVariable("ONEKVM_KVMRC_LEAK", "caller");
        try
        {
            Kvmrc.Evaluate(Write("SEEN=\"${ONEKVM_KVMRC_LEAK:-none}\"\n"))["SEEN"].ShouldBe("none");
        }
        finally
        {
            Environment.SetEnvironmentVariable("ONEKVM_KVMRC_LEAK", null);
        }
    }

    [Theory]
    [InlineData("A=1\nB=two words\n", 2)]
    [InlineData("A=1\nif [ x = y ]; then\nB=2\n", 4)]
    [InlineData("A=1\n)\n", 2)]
    public void Evaluate_BashError_NamesFileAndLine(string text, int line)
    {
        var path = Write(text);
        var e = Should.Throw<FormatException>(() => Kvmrc.Evaluate(path));
        e.Message.ShouldStartWith($"{path}:{line}: ");
        e.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void Evaluate_KvmrcExitsTheShell_IsOneError()
    {
        var path = Write("A=1\nexit 0\n");
        Should.Throw<FormatException>(() => Kvmrc.Evaluate(path)).Message.ShouldBe($"{path}: kvmrc ended the shell before it finished (bash exit status 0)");
    }

    [Fact]
    public void Evaluate_OutputOnStdout_IsIgnored()
    {
        Kvmrc.Evaluate(Write("echo hello\nA=1\n"))["A"].ShouldBe("1");
    }

    [Fact]
    public void EvaluateIfExists_MissingFile_NoVariables()
    {
        Kvmrc.EvaluateIfExists(Path.Join(_dir, "absent")).ShouldBeEmpty();
    }
}
