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
        if (DriverHelp.TryAnswer(args, stdout, stderr) is { } answered) return answered;

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
}
