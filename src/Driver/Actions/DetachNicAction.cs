namespace OneKvm.Driver.Actions;

/// <summary>
/// <c>detach_nic &lt;deploy_id&gt; &lt;mac&gt;</c>: <c>virsh detach-interface</c> by MAC (the type read from
/// the live domain), asked again up to VIRSH_RETRIES times while <c>domiflist</c> still shows the MAC;
/// fails when the guest never releases it.
/// </summary>
public sealed class DetachNicAction : DriverAction
{
    public override string Name => "detach_nic";

    public override string Usage => "<deploy_id> <mac>";

    public override int MinArguments => 2;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken)
    {
        var (domain, mac) = (args[0], args[1].ToLowerInvariant());
        for (var attempt = 1; ; attempt++)
        {
            var type = await InterfaceTypeAsync(context, domain, mac, cancellationToken);
            if (type is null)
            {
                if (attempt == 1) context.Log.Info($"no NIC {mac} on {domain}");
                return;
            }
            if (attempt > context.Settings.VirshRetries)
                throw new ActionFailedException($"Could not detach NIC {mac} from {domain}: the guest did not release the device");
            try
            {
                await context.Virsh.RunAsync(["detach-interface", "--domain", domain, "--type", type, "--mac", mac], cancellationToken);
            }
            catch (Virsh.VirshException e)
            {
                throw new ActionFailedException($"Could not detach NIC {mac} from {domain}: {e.Message}", e);
            }
            await Task.Delay(context.Settings.PollInterval, context.Time, cancellationToken);
        }
    }

    /// <summary>The interface type (<c>bridge</c>, <c>ethernet</c>, …) of the NIC with this MAC in <c>virsh domiflist</c>, or null.</summary>
    private static async Task<string?> InterfaceTypeAsync(ActionContext context, string domain, string mac, CancellationToken cancellationToken)
    {
        var list = await context.Virsh.RunAsync(["domiflist", domain], cancellationToken);
        foreach (var line in list.Split('\n').Skip(2))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 5 && fields[^1].Equals(mac, StringComparison.OrdinalIgnoreCase)) return fields[1];
        }
        return null;
    }
}
