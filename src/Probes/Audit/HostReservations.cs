namespace OneKvm.Probes.Audit;

/// <summary>RESERVED_CPU / RESERVED_MEM as written in the host (or cluster) template.</summary>
public sealed record HostReservations(string? ReservedCpu, string? ReservedMem);
