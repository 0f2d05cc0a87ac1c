using OneKvm.Driver.Actions;
using OneKvm.Driver.Tests.Support;
using OneKvm.Tests;

namespace OneKvm.Driver.Tests.Actions;

public sealed class SyncTimeActionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-synctime-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ChildCommand_InstalledExecutableOrThroughDotnet()
    {
        var (program, arguments) = SyncTimeAction.ChildCommand("/usr/bin/onekvm-driver", "/usr/bin/onekvm-driver.dll", "one-7", null);
        program.ShouldBe("/usr/bin/onekvm-driver");
        arguments.ShouldBe(["sync-time", "one-7"]);
        (program, arguments) = SyncTimeAction.ChildCommand("/usr/share/dotnet/dotnet", "/opt/t/onekvm-driver.dll", "one-7", "qemu+ssh://kvm2/system");
        program.ShouldBe("/usr/share/dotnet/dotnet");
        arguments.ShouldBe(["/opt/t/onekvm-driver.dll", "sync-time", "one-7", "qemu+ssh://kvm2/system"]);
    }

    [Fact]
    public async Task Restore_SyncTime_ReturnsThenSynchronisesInTheBackground()
    {
        var fixtures = Path.Join(_dir, "virsh");
        Directory.CreateDirectory(fixtures);
        File.WriteAllText(Path.Join(fixtures, "domstate.txt"), "shut off\n");
        File.WriteAllText(Path.Join(fixtures, "save-image-dumpxml.txt"), "<domain><name>one-7</name></domain>");
        File.WriteAllText(Path.Join(fixtures, "restore.txt"), "");
        File.WriteAllText(Path.Join(fixtures, "dominfo.txt"), "State: running\n");
        File.WriteAllText(Path.Join(fixtures, "domtime.txt"), "");
        var log = Path.Join(_dir, "calls.log");
        var vmDir = Path.Join(_dir, "datastores", "0", "7");
        Directory.CreateDirectory(vmDir);
        var checkpoint = Path.Join(vmDir, "checkpoint");
        File.WriteAllText(checkpoint, "saved");
        // domtime answers only once the test releases it: the restore cannot have waited for it.
        var release = Path.Join(_dir, "release");
        var virsh = Path.Join(_dir, "virsh-held");
        File.WriteAllText(virsh, $"#!/bin/bash\nif [[ \" $* \" == *\" domtime \"* ]]; then while [[ ! -e '{release}' ]]; do sleep 0.1; done; fi\n"
            + $"exec '{Path.Join(TestPaths.Fixtures, "bin", "virsh")}' \"$@\"\n");
        File.SetUnixFileMode(virsh, (UnixFileMode)0b111_101_101);
        using var one = new OneVmmExec("SYNC_TIME=yes\n");
        one.Environment["ONEKVM_VIRSH"] = virsh;
        one.Environment["ONEKVM_VIRSH_FIXTURE_DIR"] = fixtures;
        one.Environment["ONEKVM_VIRSH_LOG"] = log;

        var restored = await one.ActionAsync("restore", [checkpoint, "localhost", "one-7"], 7);

        restored.Line("RESTORE", 7).ShouldBe("RESTORE SUCCESS 7 -", restored.ToString());
        File.ReadAllLines(log).ShouldContain($"--connect qemu:///system restore --xml {checkpoint}.xml -- {checkpoint}");
        File.ReadAllText(log).ShouldNotContain("domtime");
        File.WriteAllText(release, "");
        // The background process runs on after the action returned (bounded wait for it here).
        for (var i = 0; i < 300 && !File.ReadAllText(log).Contains("domtime", StringComparison.Ordinal); i++) await Task.Delay(100);
        File.ReadAllLines(log).Where(l => l.Contains("dominfo", StringComparison.Ordinal) || l.Contains("domtime", StringComparison.Ordinal)).ShouldBe(
        [
            "--connect qemu:///system dominfo -- one-7",
            "--connect qemu:///system domtime --sync -- one-7",
        ]);
    }
}
