using OneKvm.Probes.OpenNebula;

namespace OneKvm.Probes.Tests.OpenNebula;

public sealed class KvmrcParserTests
{
    [Theory]
    [InlineData("export LIBVIRT_URI=qemu:///system", "LIBVIRT_URI", "qemu:///system")]
    [InlineData("LIBVIRT_URI=qemu+tcp://localhost/system", "LIBVIRT_URI", "qemu+tcp://localhost/system")]
    [InlineData("export VIRTIOFSD_BINARY_PATH=\"/usr/libexec/virtiofsd /usr/lib/qemu/virtiofsd\"", "VIRTIOFSD_BINARY_PATH", "/usr/libexec/virtiofsd /usr/lib/qemu/virtiofsd")]
    [InlineData("SHUTDOWN_TIMEOUT=180   # seconds", "SHUTDOWN_TIMEOUT", "180")]
    [InlineData("X='a \"b\" $c'", "X", "a \"b\" $c")]
    [InlineData("X=\"say \\\"hi\\\"\"", "X", "say \"hi\"")]
    [InlineData("  export\tLANG=C", "LANG", "C")]
    [InlineData("EMPTY=", "EMPTY", "")]
    [InlineData("X=a\\ b", "X", "a b")]
    public void Parse_Assignment_GivesValue(string line, string name, string value)
    {
        var vars = KvmrcParser.Parse(line + "\n", "kvmrc");
        vars[name].ShouldBe(value);
    }

    [Fact]
    public void Parse_ShippedShape_KeepsOnlyAssignments()
    {
        const string text = """
            # Default configuration attributes for the KVM driver
            export LANG=C
            export LIBVIRT_URI=qemu:///system
            export QEMU_PROTOCOL=qemu+ssh

            #export MIGRATE_OPTIONS=--unsafe
            export SHUTDOWN_TIMEOUT=180
            export FORCE_DESTROY=yes
            export LANG
            """;
        var vars = KvmrcParser.Parse(text, "kvmrc");
        vars.Keys.ShouldBe(["LANG", "LIBVIRT_URI", "QEMU_PROTOCOL", "SHUTDOWN_TIMEOUT", "FORCE_DESTROY"], ignoreOrder: true);
        vars.ShouldNotContainKey("MIGRATE_OPTIONS");
    }

    [Fact]
    public void Parse_DoubleQuotedValueOverLines_JoinsThem()
    {
        var vars = KvmrcParser.Parse("A=\"one\ntwo\"\nB=3\n", "kvmrc");
        vars["A"].ShouldBe("one\ntwo");
        vars["B"].ShouldBe("3");
    }

    [Theory]
    [InlineData("this is not shell", 1)]
    [InlineData("A=1\nB=2 3", 2)]
    [InlineData("A=1\n\n1X=2", 3)]
    [InlineData("A='open", 1)]
    [InlineData("A=\"open", 1)]
    [InlineData("A=$(rm -rf /)", 1)]
    [InlineData("A=1; B=2", 1)]
    public void Parse_Malformed_NamesFileAndLine(string text, int line)
    {
        var e = Should.Throw<FormatException>(() => KvmrcParser.Parse(text, "/etc/kvmrc"));
        e.Message.ShouldStartWith($"/etc/kvmrc:{line}: ");
    }
}
