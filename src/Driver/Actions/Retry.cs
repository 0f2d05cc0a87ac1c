using OneKvm.Driver.Virsh;

namespace OneKvm.Driver.Actions;

/// <summary>Retries a virsh call libvirt refuses for a passing reason (upstream's <c>retry_if</c>: 3 tries, 5 s apart).</summary>
internal static class Retry
{
    public static TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(5);

    public const int Tries = 3;

    /// <summary>Retries while libvirt's message contains <paramref name="reason"/> (e.g. "active block job", "is in use").</summary>
    public static async Task<string> IfAsync(
        ActionContext context, string reason, string failure, VirshCall call, CancellationToken cancellationToken, int exitCode = 1)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await context.Virsh.CallAsync(call, cancellationToken);
            }
            catch (VirshException e) when (attempt < Tries && e.Message.Contains(reason, StringComparison.OrdinalIgnoreCase))
            {
                context.Log.Info($"{reason}, retrying ({attempt}/{Tries})");
                await Task.Delay(Delay, context.Time, cancellationToken);
            }
            catch (VirshException e)
            {
                throw new ActionFailedException($"{failure}: {VirshCalls.Reason(e, call)}", e) { ExitCode = exitCode };
            }
        }
    }

    /// <summary>Upstream's snapshot and save scripts retry on "active block job".</summary>
    public static Task<string> OnBlockJobAsync(
        ActionContext context, string failure, VirshCall call, CancellationToken cancellationToken, int exitCode = 1) =>
        IfAsync(context, "block job", failure, call, cancellationToken, exitCode);
}
