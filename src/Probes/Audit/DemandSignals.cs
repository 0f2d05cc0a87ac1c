namespace OneKvm.Probes.Audit;

/// <summary>Why a VM counts as wanting more CPU than it got during the window.</summary>
[Flags]
public enum DemandSignals
{
    None = 0,

    /// <summary>Its CFS quota throttled it (<c>nr_throttled</c> grew).</summary>
    Throttled = 1,

    /// <summary>Its tasks waited for a CPU at least the pressure threshold of the window.</summary>
    Pressure = 2,

    /// <summary>It ran at (the cap ratio of) its vCPUs.</summary>
    AtCap = 4,
}
