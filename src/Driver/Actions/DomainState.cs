namespace OneKvm.Driver.Actions;

/// <summary>Asks libvirt whether a domain exists and in which state (<c>virsh domstate</c>).</summary>
internal static class DomainState
{
    /// <summary>The domain's state word (<c>running</c>, <c>paused</c>, <c>shut off</c>, …), or null when libvirt does not know it.</summary>
    public static async Task<string?> GetAsync(ActionContext context, string domain, CancellationToken cancellationToken)
    {
        try
        {
            return (await context.Virsh.RunAsync(["domstate", domain], cancellationToken)).Trim();
        }
        catch (Virsh.VirshException e) when (!e.TimedOut && e.Message.Contains("failed to get domain", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
    }
}
