using System.Diagnostics;
using OneKvm.Cgroups;
using OneKvm.Probes.Vm;

namespace OneKvm.Probes.Tests.Vm;

/// <summary>
/// EXEC_VM over a run directory as the VMM exec action leaves it. The guest agent's answers are
/// scripted (no guest OS with qemu-ga runs here); the lock is a real flock held by a real process.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ExecVmReaperTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("onekvm-exec-").FullName;
    private readonly List<(string Domain, string Json)> _asked = [];

    public ExecVmReaperTests() => Directory.CreateDirectory(Paths.OneRunDirectory);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private HostPaths Paths => HostPaths.UnderRoot(_root);

    private Task<string> Agent(string domain, string json, CancellationToken _)
    {
        _asked.Add((domain, json));
        return Task.FromResult(domain switch
        {
            "one-5" => """{"return":{"exited":true,"exitcode":0,"out-data":"aGVsbG8K","err-data":""}}""",
            "one-6" => """{"return":{"exited":false}}""",
            "one-7" => """{"return":{"exited":true,"exitcode":2,"err-data":"bm8gc3VjaCBmaWxlCg=="}}""",
            _ => throw new InvalidOperationException("error: Guest agent is not responding"),
        });
    }

    private void PidFile(int vm, string pid) => File.WriteAllText(Path.Join(Paths.OneRunDirectory, $"one-{vm}"), pid + "\n");

    [Fact]
    public async Task Finished_commands_are_reported_and_their_pid_files_removed()
    {
        PidFile(5, "1234");
        PidFile(6, "77");
        PidFile(7, "9");
        var (payload, warnings) = await ExecVmReaper.ReapAsync(Paths, [7, 6, 5, 8], Agent, TimeSpan.FromSeconds(5), CancellationToken.None);

        warnings.ShouldBeEmpty();
        payload.ShouldBe(
            "VM = [ ID=\"5\", PID=\"1234\", STATUS=\"DONE\", RETURN_CODE=\"0\", STDOUT=\"aGVsbG8K\", STDERR=\"\" ]\n" +
            "VM = [ ID=\"7\", PID=\"9\", STATUS=\"DONE\", RETURN_CODE=\"2\", STDOUT=\"\", STDERR=\"bm8gc3VjaCBmaWxlCg==\" ]\n");
        _asked.ShouldContain(("one-5", """{"execute":"guest-exec-status","arguments":{"pid":1234}}"""));
        File.Exists(Path.Join(Paths.OneRunDirectory, "one-5")).ShouldBeFalse();
        File.Exists(Path.Join(Paths.OneRunDirectory, "one-6")).ShouldBeTrue(); // still running: asked again next time
        File.Exists(Path.Join(Paths.OneRunDirectory, "one-7")).ShouldBeFalse();
    }

    [Fact]
    public async Task Nothing_ran_gives_an_empty_payload()
    {
        (await ExecVmReaper.ReapAsync(Paths, [1, 2], Agent, TimeSpan.FromSeconds(5), CancellationToken.None)).Payload.ShouldBeEmpty();
        _asked.ShouldBeEmpty();
        Directory.Delete(Paths.OneRunDirectory, recursive: true);
        (await ExecVmReaper.ReapAsync(Paths, [1], Agent, TimeSpan.FromSeconds(5), CancellationToken.None)).Payload.ShouldBeEmpty();
    }

    [Fact]
    public async Task One_unanswering_guest_is_a_warning_the_others_are_reaped()
    {
        PidFile(5, "1");
        PidFile(9, "2");
        PidFile(10, "not-a-pid");
        var (payload, warnings) = await ExecVmReaper.ReapAsync(Paths, [5, 9, 10], Agent, TimeSpan.FromSeconds(5), CancellationToken.None);
        payload.ShouldStartWith("VM = [ ID=\"5\"");
        warnings.ShouldBe(
        [
            "one-9: guest-exec-status of pid 2: error: Guest agent is not responding",
            $"{Path.Join(Paths.OneRunDirectory, "one-10")}: 'not-a-pid' is not a guest pid",
        ]);
        File.Exists(Path.Join(Paths.OneRunDirectory, "one-9")).ShouldBeTrue();
    }

    [Fact]
    public async Task Waits_for_the_exec_lock_held_by_another_process_then_fails_clearly()
    {
        PidFile(5, "1");
        var lockFile = Path.Join(Paths.OneRunDirectory, ".exec-lock");
        var psi = new ProcessStartInfo("flock") { RedirectStandardOutput = true };
        foreach (var a in new[] { "-x", lockFile, "sh", "-c", "echo locked; sleep 2" }) psi.ArgumentList.Add(a);
        using var holder = Process.Start(psi)!;
        (await holder.StandardOutput.ReadLineAsync()).ShouldBe("locked");

        var e = await Should.ThrowAsync<IOException>(() => ExecVmReaper.ReapAsync(Paths, [5], Agent, TimeSpan.FromMilliseconds(500), CancellationToken.None));
        e.Message.ShouldBe($"{lockFile}: still locked by another process after 0.5 s");
        _asked.ShouldBeEmpty();

        await holder.WaitForExitAsync();
        (await ExecVmReaper.ReapAsync(Paths, [5], Agent, TimeSpan.FromSeconds(5), CancellationToken.None)).Payload.ShouldNotBeEmpty();
    }
}
