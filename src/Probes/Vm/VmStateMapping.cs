
using OneKvm.Libvirt.Stats;

namespace OneKvm.Probes.Vm;

/// <summary>
/// libvirt state/reason → OpenNebula (upstream <c>Domain::STATE_MAP</c>)
/// and the OpenNebula 5.x poll letters (<c>VirtualMachineDriver</c>: a active, p paused, e error,
/// d disappeared, - unknown).
/// </summary>
public static class VmStateMapping
{
    public const int ShutOff = 5;
    private const int Running = 1, Blocked = 2, Paused = 3, Shutdown = 4, Crashed = 6, PmSuspended = 7;
    private const int PausedUser = 1, PausedMigration = 2, PausedSave = 3, PausedStartingUp = 11;

    /// <summary>False for a domain that is no longer active (shut off while being listed): treat as absent.</summary>
    public static bool IsActive(DomainStateStat? state) => state is null || state.State != ShutOff;

    /// <summary>RUNNING, SUSPENDED, FAILURE or UNKNOWN; a missing state group is UNKNOWN.</summary>
    public static string ToOpenNebula(DomainStateStat? state) => state?.State switch
    {
        Running or Blocked or Shutdown => "RUNNING",
        Paused => state.Reason switch
        {
            PausedMigration or PausedSave or PausedStartingUp => "RUNNING",
            PausedUser => "SUSPENDED",
            0 or 5 or 6 or 10 or 13 => "FAILURE",
            _ => "UNKNOWN",
        },
        Crashed => "FAILURE",
        PmSuspended => "SUSPENDED",
        _ => "UNKNOWN",
    };

    /// <summary>
    /// Whether I/O counters are reported: only for a RUNNING VM that is not paused for a migration,
    /// a save or start-up (#2388). Otherwise the keys are omitted, so monitord keeps the last values.
    /// </summary>
    public static bool ReportsIo(DomainStateStat? state) =>
        state is not null && ToOpenNebula(state) == "RUNNING" && state.State != Paused;

    /// <summary>The 5.x poll letter.</summary>
    public static char LegacyLetter(DomainStateStat? state) => ToOpenNebula(state) switch
    {
        "RUNNING" => 'a',
        "SUSPENDED" => 'p',
        "FAILURE" => 'e',
        _ => '-',
    };
}
