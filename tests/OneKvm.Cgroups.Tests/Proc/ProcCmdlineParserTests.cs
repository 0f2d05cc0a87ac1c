using OneKvm.Cgroups.Proc;

namespace OneKvm.Cgroups.Tests.Proc;

public sealed class ProcCmdlineParserTests
{
    private static string Cmdline(params string[] args) => string.Join('\0', args) + "\0";

    [Fact]
    public void TryParseQemu_LibvirtCommandLine_GivesUuidAndGuestName()
    {
        var text = Cmdline("/usr/bin/qemu-system-x86_64", "-name", "guest=one-74,debug-threads=on", "-S",
            "-uuid", "C5F37DDA-A65F-4BE1-9E15-93BF111D69A1", "-no-user-config");
        ProcCmdlineParser.TryParseQemu(12159, text).ShouldBe(new QemuCommandLine(12159, "c5f37dda-a65f-4be1-9e15-93bf111d69a1", "one-74"));
    }

    [Theory]
    [InlineData("guest=a,,b,debug-threads=on", "a,b")]
    [InlineData("plain", "plain")]
    [InlineData("process=x,guest=g", "g")]
    public void GuestName_QemuCommaEscapes(string value, string name) =>
        ProcCmdlineParser.GuestName(value).ShouldBe(name);

    [Theory]
    [InlineData("")]
    [InlineData("/usr/sbin/libvirtd\0--daemon\0")]
    [InlineData("/usr/bin/qemu-system-x86_64\0-uuid\0not-a-uuid\0-S\0")]
    [InlineData("/usr/bin/qemu-system-x86_64\0-name\0x\0-uuid\0")]
    [InlineData("/bin/sh\0-c\0qemu -uuid c5f37dda-a65f-4be1-9e15-93bf111d69a1\0")]
    public void TryParseQemu_OtherProcesses_AreNull(string text) =>
        ProcCmdlineParser.TryParseQemu(1, text).ShouldBeNull();

    [Fact]
    public void Split_WithAndWithoutTrailingNul()
    {
        ProcCmdlineParser.Split("a\0b\0").ShouldBe(["a", "b"]);
        ProcCmdlineParser.Split("a\0b").ShouldBe(["a", "b"]);
        ProcCmdlineParser.Split("").ShouldBeEmpty();
    }

    [Fact]
    public void Scan_FixtureProcTree_FindsOnlyQemu()
    {
        var root = Path.Join(Path.GetTempPath(), "onekvm-cmdline-" + Guid.NewGuid().ToString("N"));
        try
        {
            void Proc(string pid, string cmdline)
            {
                Directory.CreateDirectory(Path.Join(root, "proc", pid));
                File.WriteAllText(Path.Join(root, "proc", pid, "cmdline"), cmdline);
            }
            Proc("1", Cmdline("/sbin/init"));
            Proc("77", Cmdline("/usr/bin/qemu-system-x86_64", "-name", "guest=one-1", "-uuid", "6695eb01-f6a4-8304-79aa-97f2502e193f"));
            Proc("78", "");
            Directory.CreateDirectory(Path.Join(root, "proc", "self"));
            Directory.CreateDirectory(Path.Join(root, "proc", "99")); // vanished: no cmdline
            var index = QemuProcessIndex.Scan(HostPaths.UnderRoot(root));
            index.Keys.ShouldBe(["6695eb01-f6a4-8304-79aa-97f2502e193f"]);
            index.Values.Single().Pid.ShouldBe(77);
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }
}
