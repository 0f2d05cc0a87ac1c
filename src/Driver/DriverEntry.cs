using OneKvm.Driver.Actions;
using OneKvm.Driver.Virsh;

namespace OneKvm.Driver;

/// <summary>
/// <c>onekvm-driver &lt;action&gt; ARGS…</c>: runs one KVM remote action the way upstream's
/// <c>/var/tmp/one/vmm/kvm/&lt;action&gt;</c> script is called. kvmrc from <c>ONEKVM_KVMRC</c> or
/// <c>/var/tmp/one/etc/vmm/kvm/kvmrc</c>. Exit 0 on success; on failure one <c>ERROR:</c> line on stderr and exit 1.
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

        var action = ActionCatalog.Find(args[0]);
        if (action is null)
        {
            await stderr.WriteLineAsync($"ERROR: onekvm-driver: unknown action '{args[0]}' (known: {string.Join(", ", ActionCatalog.All.Select(a => a.Name))})");
            return 2;
        }
        var rest = args[1..];
        if (rest.Length < action.MinArguments)
        {
            await stderr.WriteLineAsync($"ERROR: {action.Name}: usage: onekvm-driver {action.Name} {action.Usage}");
            return 2;
        }

        var log = new DriverLog(stderr, action.Name);
        DriverSettings settings;
        var kvmrc = environment("ONEKVM_KVMRC") ?? DriverSettings.DefaultKvmrcPath;
        try
        {
            settings = DriverSettings.Load(kvmrc);
            if (environment("ONEKVM_VIRSH") is { Length: > 0 } virsh) settings = settings with { Virsh = settings.Virsh with { Path = virsh } };
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            log.Error(e.Message);
            return 2;
        }

        var context = new ActionContext(new VirshCli(settings.Virsh), settings, log, stdin, stdout, time ?? TimeProvider.System);
        try
        {
            await action.RunAsync(rest, context, CancellationToken.None);
            await stdout.FlushAsync();
            return 0;
        }
        catch (ActionFailedException e)
        {
            log.Error(e.Message);
            return 1;
        }
        catch (VirshException e)
        {
            log.Error(e.Message);
            return 1;
        }
    }

    private static string Help() =>
        "onekvm-driver: OpenNebula KVM remote actions over libvirt (drop-in for /var/tmp/one/vmm/kvm/<action>).\n\n"
        + "Usage: onekvm-driver <action> ARGS...\n\nActions:\n"
        + string.Concat(ActionCatalog.All.Select(a => $"  {a.Name,-16} {a.Usage}\n"))
        + "\nkvmrc: $ONEKVM_KVMRC or " + DriverSettings.DefaultKvmrcPath
        + " (LIBVIRT_URI, SHUTDOWN_TIMEOUT, FORCE_DESTROY, CANCEL_NO_ACPI, VIRSH_RETRIES).\n"
        + "Exit status: 0 success; 1 the action failed (ERROR: line on stderr); 2 usage or configuration error.\n";
}
