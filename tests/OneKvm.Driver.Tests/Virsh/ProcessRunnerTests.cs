using OneKvm.Driver.Virsh;

namespace OneKvm.Driver.Tests.Virsh;

public sealed class ProcessRunnerTests
{
    [Fact]
    public async Task Run_Timeout_CallsOnTimeoutThenStopsTheGroup()
    {
        var called = false;
        var e = await Should.ThrowAsync<ProcessTimeoutException>(() => ProcessRunner.RunAsync(
            "/bin/sh", ["-c", "echo partial; sleep 300"], timeout: TimeSpan.FromMilliseconds(300),
            onTimeout: () => { called = true; return Task.CompletedTask; }));
        called.ShouldBeTrue();
        e.Stdout.ShouldBe("partial\n");
    }

    [Fact]
    public async Task Run_StdinAndLocale_PassedToTheChild()
    {
        var result = await ProcessRunner.RunAsync("/bin/sh", ["-c", "cat; echo \" $LC_ALL\""], stdin: "<disk/>");
        result.ShouldBe(new ProcessResult(0, "<disk/> C\n", ""));
    }

    [Fact]
    public async Task Run_ChildExitsGrandchildHoldsPipe_ReturnsWithOutput()
    {
        var result = await ProcessRunner.RunAsync("/bin/sh", ["-c", "echo done; sleep 300 & exit 3"]);
        result.ExitCode.ShouldBe(3);
        result.Stdout.ShouldBe("done\n");
    }
}
