using OneKvm.Driver.Virsh;

namespace OneKvm.Driver.Actions;

/// <summary>
/// kvmrc's <c>CLEANUP_MEMORY_ON_START</c> / <c>_ON_STOP</c>: as upstream, when sudo allows sysctl,
/// <c>sudo -n sysctl vm.drop_caches=3 vm.compact_memory=1</c>; best effort, logged.
/// </summary>
internal static class MemoryCleanup
{
    public static async Task RunAsync(ActionContext context, CancellationToken cancellationToken)
    {
        try
        {
            var allowed = await ProcessRunner.RunAsync("sudo", ["-n", "-l"], timeout: TimeSpan.FromSeconds(10), cancellationToken: cancellationToken);
            if (allowed.ExitCode != 0 || !allowed.Stdout.Contains("sysctl", StringComparison.Ordinal))
            {
                context.Log.Debug("memory cleanup skipped: sudo does not allow sysctl");
                return;
            }
            var result = await ProcessRunner.RunAsync("sudo", ["-n", "sysctl", "vm.drop_caches=3", "vm.compact_memory=1"],
                timeout: TimeSpan.FromSeconds(60), cancellationToken: cancellationToken);
            if (result.ExitCode != 0) context.Log.Warn($"memory cleanup failed: {VirshRunner.ErrorText(result.Stderr)}");
        }
        catch (Exception e) when (e is TimeoutException or System.ComponentModel.Win32Exception)
        {
            context.Log.Warn($"memory cleanup failed: {e.Message}");
        }
    }
}
