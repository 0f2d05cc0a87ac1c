using OneKvm.Driver.Actions;
using OneKvm.Driver.Virsh;

namespace OneKvm.Driver;

/// <summary>
/// <c>onekvm-driver &lt;action&gt; ARGS…</c>: runs one KVM remote action the way upstream's
/// <c>/var/tmp/one/vmm/kvm/&lt;action&gt;</c> script is called; <c>onekvm-driver remotes DIR</c> installs
/// the action files (<see cref="Remotes"/>). kvmrc from <c>ONEKVM_KVMRC</c> or
/// <c>/var/tmp/one/etc/vmm/kvm/kvmrc</c>.
/// On success stdout is what upstream's script prints; on failure the reason is one plain stderr
/// line (one_vmm_exec's failure info) with the details as <c>ERROR:</c> log lines, and the exit status
/// is non-zero (1, or 255 where upstream exits -1; 2 for usage and configuration errors).
/// </summary>
public static class DriverEntry
{
    public static async Task<int> RunAsync(
        string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, Func<string, string?> environment,
        TimeProvider? time = null)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await stdout.WriteAsync(Help());
            return args.Length == 0 ? 2 : 0;
        }
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
            // Last resort: whatever went wrong, one line and a non-zero exit, never a stack trace.
            log.Failure($"{action.Name}: internal error ({e.GetType().Name}): {e.Message}");
            return 1;
        }
    }

    /// <summary>As upstream's <c>exec_and_log</c>: the failed command and libvirt's answer as a log entry.</summary>
    private static void LogVirsh(DriverLog log, Exception? e)
    {
        if (e is VirshException v) log.Error($"Command \"{v.Command}\" failed: {v.Message}");
    }

    private static string Help() =>
        "onekvm-driver: OpenNebula KVM remote actions over libvirt (drop-in for /var/tmp/one/vmm/kvm/<action>).\n\n"
        + "Usage: onekvm-driver <action> ARGS...\n"
        + "       onekvm-driver remotes [--driver PATH] DIR   (PATH default " + Remotes.DefaultDriver + ") write the action files into DIR (e.g. /var/lib/one/remotes/vmm/kvm)\n"
        + "       onekvm-driver remotes --restore DIR         put upstream's scripts back\n\nActions:\n"
        + string.Concat(ActionCatalog.All.Select(a => $"  {a.Name,-16} {a.Usage}\n"))
        + "\nkvmrc: $ONEKVM_KVMRC or " + DriverSettings.DefaultKvmrcPath + ", sourced by bash as upstream does\n"
        + "(LIBVIRT_URI, SHUTDOWN_TIMEOUT, FORCE_DESTROY, CANCEL_NO_ACPI, VIRSH_RETRIES, SYNC_TIME, CLEANUP_MEMORY_ON_*,\n"
        + " MIGRATE_OPTIONS, QEMU_PROTOCOL, DEFAULT_ATTACH_*; OneKvm: ONEKVM_JOB_TIMEOUT, ONEKVM_VIRSH_TIMEOUT, ONEKVM_DETACH_TIMEOUT).\n"
        + "Exit status: 0 success; 1 (255 for deploy, snapshot_create) the action failed, the reason on stderr; 2 usage or configuration error.\n";
}
