using System.Globalization;

namespace OneKvm.Probes.Host;

/// <summary><c>BEACON_HOST</c>: the current epoch, as upstream's <c>date +%s</c>.</summary>
public sealed class BeaconHostCategory : Category<long>
{
    public override string Name => "beacon_host";

    public override string MessageType => "BEACON_HOST";

    public override Task<long> CollectAsync(ProbeContext context, CancellationToken cancellationToken) =>
        Task.FromResult(context.Time.GetUtcNow().ToUnixTimeSeconds());

    public override string Render(long sample, ProbeContext context) =>
        sample.ToString(CultureInfo.InvariantCulture) + "\n";
}
