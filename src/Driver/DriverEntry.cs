using OneKvm.Driver.Actions;
using OneKvm.Driver.Virsh;
using OneKvm.Libvirt.Runtime;

namespace OneKvm.Driver;

/// <summary>
/// <c>onekvm-driver &lt;action&gt; ARGS…</c>: runs one KVM remote action the way upstream's
/// <c>/var/tmp/one/vmm/kvm/&lt;action&gt;</c> script is called; <c>onekvm-driver remotes DIR</c> installs
/// the action files (<see cref="Remotes"/>). kvmrc from <c>ONEKVM_KVMRC</c> or
/// <c>/var/tmp/one/etc/vmm/kvm/kvmrc</c>.
/// On success stdout is what upstream's script prints; on failure the reason is one plain stderr
/// line (one_vmm_exec's failure info) with the details as <c>ERROR:</c> log lines, and the exit status
/// is non-zero (1, or 255 where upstream exits -1; 2 for usage and configuration errors; 70 for an internal error).
/// </summary>
public static class DriverEntry
{
    public static async Task<int> RunAsync(
        string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, Func<string, string?> environment,
        TimeProvider? time = null)
    {
        if (DriverHelp.TryAnswer(args, stdout, stderr) is { } answered) return answered;
        if (args[0] == Remotes.Command) return Remotes.Run(args[1..], stdout, stderr);

        var action = ActionCatalog.Find(args[0]);
        if (action is null)
        {
            await stderr.WriteLineAsync($"onekvm-driver: unknown action '{args[0]}' (known: {string.Join(", ", ActionCatalog.All.Select(a => a.Name))})");
            return 2;
        }
        var rest = args[1..];
        var log = new DriverLog(stderr, action.Name);
        if (rest.Length < action.MinArguments)
        {
            log.Failure($"usage: onekvm-driver {action.Name} {action.Usage}");
            return 2;
        }

        DriverSettings settings;
        var kvmrc = environment("ONEKVM_KVMRC") is { Length: > 0 } path ? path : DriverSettings.DefaultKvmrcPath;
        try
        {
            settings = DriverSettings.Load(kvmrc);
            if (environment("ONEKVM_VIRSH") is { Length: > 0 } virsh) settings = settings with { Virsh = settings.Virsh with { Path = virsh } };
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            log.Failure($"kvmrc: {e.Message}");
            return 2;
        }

        var context = new ActionContext(new VirshRunner(settings.Virsh), settings, log, stdin, stdout, time ?? TimeProvider.System);
        try
        {
            if (action.DomainArgument is { } index) Names.Domain(rest[index]);
            await action.RunAsync(rest, context, CancellationToken.None);
            await stdout.FlushAsync();
            return 0;
        }
        catch (ActionFailedException e)
        {
            LogVirsh(log, e.InnerException);
            log.Failure(e.Message);
            return e.ExitCode;
        }
        catch (VirshException e)
        {
            LogVirsh(log, e);
            log.Failure($"{action.Name} {rest[0]}: {e.Command["virsh --connect ".Length..]}: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Failure($"{action.Name}: {e.Message}");
            return 1;
        }
        catch (Exception e)
        {
            // Last resort: whatever went wrong, one plain line (the failure info oned shows), exit 70, never a stack trace.
            LastResort.Report($"onekvm-driver {action.Name}", e, stderr);
            return LastResort.ExitCode;
        }
    }

    /// <summary>As upstream's <c>exec_and_log</c>: the failed command and libvirt's answer as a log entry.</summary>
    private static void LogVirsh(DriverLog log, Exception? e)
    {
        if (e is VirshException v) log.Error($"Command \"{v.Command}\" failed: {v.Message}");
    }
}
