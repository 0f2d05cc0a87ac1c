using OneKvm.Libvirt.Domain;

namespace OneKvm.Driver.Actions;

/// <summary>
/// <c>shutdown &lt;deploy_id&gt;</c>: ACPI shutdown, waiting up to <c>SHUTDOWN_TIMEOUT</c> and asking again at
/// half time; on timeout destroys the domain when <c>FORCE_DESTROY=yes</c>, else fails
/// <c>Timed out shutting down &lt;dom&gt;</c>. A domain libvirt does not know is already shut down.
/// Polls the state without upstream's extra fixed sleep at the end.
/// </summary>
public sealed class ShutdownAction : DriverAction
{
    public override string Name => "shutdown";

    public override string Usage => "<deploy_id> [<vm_id> <host>]";

    public override int MinArguments => 1;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken)
    {
        var domain = args[0];
        var state = await DomainState.GetAsync(context, domain, cancellationToken);
        if (state is null or "shut off")
        {
            context.Log.Info($"{domain} is not running");
            return;
        }

        if (context.Settings.CancelNoAcpi && !await HasAcpiAsync(context, domain, cancellationToken))
        {
            context.Log.Info($"{domain} has no ACPI: destroying it (CANCEL_NO_ACPI=yes)");
            await context.Virsh.RunAsync(["destroy", domain], cancellationToken);
            return;
        }

        await context.Virsh.RunAsync(["shutdown", domain], cancellationToken);
        var timeout = TimeSpan.FromSeconds(context.Settings.ShutdownTimeoutSeconds);
        var start = context.Time.GetTimestamp();
        var askedAgain = false;
        while (true)
        {
            await Task.Delay(context.Settings.PollInterval, context.Time, cancellationToken);
            state = await DomainState.GetAsync(context, domain, cancellationToken);
            if (state is null or "shut off") return;

            var elapsed = context.Time.GetElapsedTime(start);
            if (elapsed >= timeout) break;
            if (!askedAgain && elapsed >= timeout / 2)
            {
                askedAgain = true;
                await context.Virsh.RunAsync(["shutdown", domain], cancellationToken);
            }
        }

        if (!context.Settings.ForceDestroy)
            throw new ActionFailedException($"Timed out shutting down {domain}");
        context.Log.Warn($"Timeout shutting down {domain}. Destroying it");
        await context.Virsh.RunAsync(["destroy", domain], cancellationToken);
    }

    private static async Task<bool> HasAcpiAsync(ActionContext context, string domain, CancellationToken cancellationToken)
    {
        var xml = await context.Virsh.RunAsync(["dumpxml", domain], cancellationToken);
        try
        {
            return DomainDefinition.Parse(xml, $"virsh dumpxml {domain}").Features.Contains("acpi");
        }
        catch (FormatException e)
        {
            throw new ActionFailedException(e.Message, e);
        }
    }
}
