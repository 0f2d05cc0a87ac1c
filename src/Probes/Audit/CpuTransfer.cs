namespace OneKvm.Probes.Audit;

/// <summary>
/// Time a noisy VM took from a starved one: the victim's shortfall shared out among the noisy VMs
/// in proportion to their excess. <see cref="ByDrift"/>: the taker's applied share is above its
/// promised one, which explains the transfer.
/// </summary>
public sealed record CpuTransfer(string From, string To, double Cores, bool ByDrift);
