using OneKvm.Driver.Virsh;

namespace OneKvm.Driver.Actions;

/// <summary>The virsh calls actions share: failures worded as "what OneKvm was doing: libvirt's reason", and jobs.</summary>
internal static class VirshCalls
{
    /// <summary>Runs <paramref name="call"/>; a failure becomes <c>&lt;failure&gt;: &lt;libvirt's message&gt;</c>.</summary>
    public static async Task<string> RunAsync(
        this ActionContext context, string failure, VirshCall call, CancellationToken cancellationToken, int exitCode = 1)
    {
        try
        {
            return await context.Virsh.CallAsync(call, cancellationToken);
        }
        catch (VirshException e)
        {
            throw new ActionFailedException($"{failure}: {Reason(e, call)}", e) { ExitCode = exitCode };
        }
    }

    /// <summary>libvirt's message; for a job stopped at its limit, also the state that leaves.</summary>
    public static string Reason(VirshException e, VirshCall call) =>
        e.TimedOut && call.OnTimeout is not null
            ? $"{e.Message}; the job was aborted (virsh domjobabort), the domain stays on this host as it was before"
            : e.Message;

    /// <summary>Runs virsh with <paramref name="args"/>; a failure becomes <c>&lt;failure&gt;: &lt;libvirt's message&gt;</c>.</summary>
    public static Task<string> RunAsync(
        this ActionContext context, string failure, string[] args, CancellationToken cancellationToken, int exitCode = 1) =>
        context.RunAsync(failure, new VirshCall(args), cancellationToken, exitCode);

    /// <summary>
    /// A libvirt job on <paramref name="domain"/> (save, migrate, snapshot): no limit unless kvmrc's
    /// ONEKVM_JOB_TIMEOUT sets one; when that fires the job is aborted with <c>virsh domjobabort</c>, so
    /// the domain stays where it was (still running here, the save or migration undone).
    /// </summary>
    public static VirshCall Job(ActionContext context, string domain, string[] args, string? uri = null) => new(args)
    {
        Job = true,
        Uri = uri,
        Timeout = context.Settings.JobTimeout,
        OnTimeout = async () =>
        {
            context.Log.Warn($"{domain}: libvirt job still running after {context.Settings.JobTimeout!.Value.TotalSeconds:0} s (ONEKVM_JOB_TIMEOUT): aborting it with domjobabort");
            try
            {
                await context.Virsh.CallAsync(new VirshCall(["domjobabort", "--", domain]) { Uri = uri, Timeout = TimeSpan.FromSeconds(30) });
            }
            catch (VirshException e)
            {
                context.Log.Error($"domjobabort {domain}: {e.Message}");
            }
        },
    };
}
