using OneKvm.Driver.Virsh;

namespace OneKvm.Driver.Actions;

/// <summary>Retries a virsh call that libvirt refuses while a block job runs (upstream: 5 s apart, VIRSH_RETRIES times).</summary>
internal static class Retry
{
    public static TimeSpan BlockJobDelay { get; set; } = TimeSpan.FromSeconds(5);

    public static async Task<string> OnBlockJobAsync(
        ActionContext context, string failure, Func<Task<string>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (VirshException e) when (attempt < context.Settings.VirshRetries
                && e.Message.Contains("block job", StringComparison.OrdinalIgnoreCase))
            {
                context.Log.Info($"active block job, retrying ({attempt}/{context.Settings.VirshRetries})");
                await Task.Delay(BlockJobDelay, context.Time, cancellationToken);
            }
            catch (VirshException e)
            {
                throw new ActionFailedException($"{failure}: {e.Message}", e);
            }
        }
    }
}
