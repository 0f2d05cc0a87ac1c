using OneKvm.Driver.Actions;

namespace OneKvm.Driver.Tests.Actions;

public sealed class DriverEntryTests
{
    [Fact]
    public async Task Run_UnknownAction_ExitsTwoListingActions()
    {
        using var run = new DriverRun();
        var (code, _, stderr) = await run.RunAsync("", "explode", "one-1");
        code.ShouldBe(2);
        stderr.ShouldContain("unknown action 'explode'");
        stderr.ShouldContain("deploy");
    }

    [Fact]
    public async Task Run_MissingArguments_PrintsUsage()
    {
        using var run = new DriverRun();
        var (code, _, stderr) = await run.RunAsync("", "snapshot_create", "one-1");
        code.ShouldBe(2);
        stderr.ShouldStartWith("usage: onekvm-driver snapshot_create");
    }

    [Fact]
    public async Task Run_MalformedKvmrc_NamesFileAndLine()
    {
        using var run = new DriverRun("export LIBVIRT_URI=qemu:///system\nSHUTDOWN_TIMEOUT=1 2\n");
        var (code, _, stderr) = await run.RunAsync("", "cancel", "one-1");
        code.ShouldBe(2);
        stderr.ShouldContain($"{run.Kvmrc}:2:");
    }

    [Fact]
    public async Task Run_NonNumericShutdownTimeout_NamesTheVariable()
    {
        using var run = new DriverRun("SHUTDOWN_TIMEOUT=soon\n");
        var (code, _, stderr) = await run.RunAsync("", "shutdown", "one-1");
        code.ShouldBe(2);
        stderr.ShouldContain("SHUTDOWN_TIMEOUT='soon'");
    }

    [Fact]
    public async Task Deploy_MalformedXml_FailsWithLineAndLeavesFileUntouched()
    {
        using var run = new DriverRun();
        var file = Path.Join(run.Dir, "deployment.0");
        File.WriteAllText(file, "previous");
        var (code, _, stderr) = await run.RunAsync("<domain type='qemu'>\n<name>one-1</name>\n<oops>\n</domain>", "deploy", file, "host", "1");
        code.ShouldBe(255);
        stderr.ShouldContain("domain XML on stdin:4:");
        File.ReadAllText(file).ShouldBe("previous");
    }

    [Fact]
    public async Task Deploy_NoStdinAndNoFile_FailsLikeUpstream()
    {
        using var run = new DriverRun();
        var file = Path.Join(run.Dir, "missing.0");
        var (code, _, stderr) = await run.RunAsync("", "deploy", file);
        code.ShouldBe(255);
        stderr.ShouldContain($"Cannot open deployment file {file}");
    }

    [Theory]
    [InlineData("<vm><name>x</name></vm>", "root element is <vm>")]
    [InlineData("<domain type='qemu'></domain>", "has no <name>")]
    public void Validate_NotADomain_SaysWhy(string xml, string message)
    {
        Should.Throw<ActionFailedException>(() => DeployAction.Validate(xml, "f.xml")).Message.ShouldContain(message);
    }

    [Fact]
    public async Task Help_ListsEveryAction()
    {
        using var run = new DriverRun();
        var (code, stdout, _) = await run.RunAsync("", "--help");
        code.ShouldBe(0);
        foreach (var action in ActionCatalog.All) stdout.ShouldContain(action.Name);
    }
}
