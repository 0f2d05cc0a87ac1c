using System.Xml.Linq;
using OneKvm.Probes;

namespace OneKvm.Collector.Agent;

/// <summary>
/// <c>PROBES_PERIOD</c> in seconds. A key missing from the vector falls back to OpenNebula 7.4's
/// agent defaults (#7659): BEACON_HOST 30, SYSTEM_HOST 600, MONITOR_HOST 120, STATE_VM 5,
/// EXEC_VM 5, MONITOR_VM 30; SYNC_STATE_VM 180.
/// </summary>
public sealed record ProbePeriods(
    int BeaconHost, int SystemHost, int MonitorHost, int StateVm, int ExecVm, int MonitorVm, int SyncStateVm)
{
    public static ProbePeriods Fallback { get; } = new(30, 600, 120, 5, 5, 30, 180);

    /// <summary>Reads the <c>PROBES_PERIOD</c> element (null = every fallback).</summary>
    public static ProbePeriods From(XElement? vector)
    {
        int Get(string key, int fallback) =>
            MonitorConfiguration.Text(vector, key) is { } text
                ? MonitorConfiguration.Integer($"PROBES_PERIOD/{key}", text, min: 1)
                : fallback;

        var f = Fallback;
        return new ProbePeriods(
            Get("BEACON_HOST", f.BeaconHost), Get("SYSTEM_HOST", f.SystemHost), Get("MONITOR_HOST", f.MonitorHost),
            Get("STATE_VM", f.StateVm), Get("EXEC_VM", f.ExecVm), Get("MONITOR_VM", f.MonitorVm),
            Get("SYNC_STATE_VM", f.SyncStateVm));
    }

    /// <summary>The period of a message type, or null for a type without one (the category is then not run).</summary>
    /// <summary>The period of <paramref name="category"/>: its own fixed one, else its message type's.</summary>
    public TimeSpan? For(ICategory category) => category.FixedPeriod ?? For(category.MessageType);

    public TimeSpan? For(string messageType) => messageType switch
    {
        "BEACON_HOST" => TimeSpan.FromSeconds(BeaconHost),
        "SYSTEM_HOST" => TimeSpan.FromSeconds(SystemHost),
        "MONITOR_HOST" => TimeSpan.FromSeconds(MonitorHost),
        "STATE_VM" => TimeSpan.FromSeconds(StateVm),
        "EXEC_VM" => TimeSpan.FromSeconds(ExecVm),
        "MONITOR_VM" => TimeSpan.FromSeconds(MonitorVm),
        _ => null,
    };
}
