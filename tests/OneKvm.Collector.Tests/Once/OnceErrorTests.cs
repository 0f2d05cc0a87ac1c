namespace OneKvm.Collector.Tests.Once;

/// <summary>The error paths of <c>--once</c>: one clear line on stderr, nothing on stdout, exit != 0.</summary>
[Collection(ProcessEnvironmentTests.Name)]
public sealed class OnceErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-once-err-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Once_UnknownCategory_ListsTheKnownOnes()
    {
        var result = await OnceRunner.RunAsync(["--once", "--category", "system_host,nope", "--kvmrc", Empty()]);
        result.ExitCode.ShouldBe(2);
        result.Stdout.ShouldBeEmpty();
        result.Stderr.ShouldBe("onekvm-probe: unknown category 'nope' (known: system_host, monitor_host, state_vm, exec_vm, monitor_vm, snapshot_vm, beacon_host, poll)\n");
    }

    [Fact]
    public async Task Once_RootWithoutProc_SaysSo()
    {
        var root = Path.Join(_dir, "no-such-host");
        var result = await OnceRunner.RunAsync(["--once", "--category", "monitor_host", "--root", root, "--kvmrc", Empty()]);
        result.ExitCode.ShouldBe(1);
        result.Stdout.ShouldBeEmpty();
        result.Stderr.ShouldBe($"onekvm-probe: {root}/proc: proc root not found or not readable\n");
    }

    [Fact]
    public async Task Once_RootMissingAKernelFile_FailsThatCategoryNamingTheFile()
    {
        var root = Path.Join(_dir, "host");
        Directory.CreateDirectory(Path.Join(root, "proc"));
        var result = await OnceRunner.RunAsync(
            ["--once", "--category", "monitor_host,beacon_host", "--root", root, "--kvmrc", Empty(), "--state-dir", _dir]);
        result.ExitCode.ShouldBe(1);
        result.Stderr.ShouldStartWith($"onekvm-probe: monitor_host: {root}/proc/stat: ");
        result.Stdout.ShouldMatch("^[0-9]+\n$"); // the beacon still printed
    }

    [Fact]
    public async Task Once_MalformedKvmrc_NamesFileAndLine()
    {
        var kvmrc = Path.Join(_dir, "kvmrc");
        await File.WriteAllTextAsync(kvmrc, "export LIBVIRT_URI=qemu:///system\nexport SHUTDOWN_TIMEOUT=$(date)\n");
        var result = await OnceRunner.RunAsync(["--once", "--kvmrc", kvmrc]);
        result.ExitCode.ShouldBe(2);
        result.Stdout.ShouldBeEmpty();
        result.Stderr.ShouldStartWith($"onekvm-probe: {kvmrc}:2: ");
        result.Stderr.TrimEnd('\n').ShouldNotContain('\n');
    }

    private string Empty()
    {
        var path = Path.Join(_dir, "empty-kvmrc");
        File.WriteAllText(path, "");
        return path;
    }
}
