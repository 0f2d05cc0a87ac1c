using System.Diagnostics;
using OneKvm.Tests;

namespace OneKvm.Libvirt.Tests;

/// <summary>
/// A process with a client connected to a libvirtd that then stops answering (SIGSTOP) ends with its
/// own failure code in bounded time, never a runtime crash: disposed, never disposed, or with a call
/// still inside libvirt (see <see cref="ShutdownHelper"/>, run as a child process).
/// </summary>
[Collection(LibvirtGroup.Name)]
[Trait(TestTraits.Category, TestTraits.RealHost)]
public sealed class NativeClientShutdownTests
{
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Modes => [.. ShutdownHelper.Modes];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task ProcessExit_LibvirtdStopped_ExitsWithItsFailureCode_NoCrash(string mode)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { typeof(ShutdownHelper).Assembly.Location, "shutdown", mode }) psi.ArgumentList.Add(a);
        using var child = Process.Start(psi)!;
        var stderr = child.StandardError.ReadToEndAsync();
        int? pid = null;
        var clock = new Stopwatch();
        try
        {
            var first = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            first.ShouldBe("connected", customMessage: await StderrSoFar(child, stderr));
            pid = LibvirtDaemon.Pause();
            clock.Start();
            await child.StandardInput.WriteLineAsync("go");
            await child.StandardInput.FlushAsync();
            using var bounded = new CancellationTokenSource(ExitBound);
            await child.WaitForExitAsync(bounded.Token);
            clock.Stop();
        }
        finally
        {
            if (pid is { } stopped)
            {
                LibvirtDaemon.Continue(stopped);
                LibvirtDaemon.WaitHealthy(TimeSpan.FromSeconds(60));
            }
            if (!child.HasExited) child.Kill();
        }
        var errors = await stderr;
        errors.ShouldNotContain("Fatal error");
        errors.ShouldContain($"call failed: libvirt virConnectGetAllDomainStats on {TestDomain.Uri}: no answer within 2 s; call abandoned");
        errors.ShouldContain($"call failed: libvirt virConnectListAllDomains on {TestDomain.Uri}: ");
        child.ExitCode.ShouldBe(ShutdownHelper.CallsFailed, $"exit code {child.ExitCode} (134: abort, 139: SIGSEGV); stderr:\n{errors}");
        clock.Elapsed.ShouldBeLessThan(ExitBound);
    }

    private static async Task<string> StderrSoFar(Process child, Task<string> stderr)
    {
        if (!child.HasExited) return "the helper did not print 'connected'";
        return $"the helper exited {child.ExitCode}: {await stderr}";
    }
}
