namespace OneKvm.Driver.Tests.Cli;

/// <summary><c>--version</c>, <c>help ACTION</c> and <c>ACTION --help</c>: answered without running the action.</summary>
public sealed class DriverHelpTests : IDisposable
{
    private readonly DriverRun _run;
    private readonly string _calls;

    public DriverHelpTests()
    {
        var dir = Directory.CreateTempSubdirectory("onekvm-driver-help-").FullName;
        _calls = Path.Join(dir, "calls");
        var virsh = Path.Join(dir, "virsh");
        File.WriteAllText(virsh, $"#!/bin/sh\necho \"$@\" >> '{_calls}'\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(virsh, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _run = new DriverRun { VirshPath = virsh };
        _dir = dir;
    }

    private readonly string _dir;

    public void Dispose()
    {
        _run.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Version_PrintsVersionAndCommit()
    {
        var (code, stdout, stderr) = await _run.RunAsync("", "--version");
        code.ShouldBe(0, stderr);
        stdout.ShouldMatch(@"^onekvm-driver [0-9]+\.[0-9]+\.[0-9]+ \(commit ([0-9a-f]{7,12}|unknown)\)\n$");
    }

    [Theory]
    [InlineData("help", "cancel")]
    [InlineData("cancel", "--help")]
    [InlineData("cancel", "one-1", "-h")]
    public async Task ActionHelp_DescribesTheActionAndNeverRunsIt(params string[] args)
    {
        var (code, stdout, stderr) = await _run.RunAsync("", args);
        code.ShouldBe(0, stderr);
        stdout.ShouldStartWith("onekvm-driver cancel: ");
        stdout.ShouldContain("Usage: onekvm-driver cancel <deploy_id>");
        stdout.ShouldContain("Exit status:");
        File.Exists(_calls).ShouldBeFalse(); // virsh was never called
    }

    [Fact]
    public async Task HelpOfAnUnknownAction_IsOneLineAndExit2()
    {
        var (code, stdout, stderr) = await _run.RunAsync("", "help", "deploi");
        code.ShouldBe(2);
        stdout.ShouldBeEmpty();
        stderr.ShouldStartWith("ERROR: onekvm-driver: unknown action 'deploi' (known: deploy, ");
        stderr.TrimEnd('\n').ShouldNotContain('\n');
    }

    [Fact]
    public async Task MainHelp_ListsEveryAction()
    {
        var (code, stdout, _) = await _run.RunAsync("", "--help");
        code.ShouldBe(0);
        foreach (var action in ActionCatalog.All) stdout.ShouldContain($"  {action.Name} ");
    }
}
