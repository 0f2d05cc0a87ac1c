using OneKvm.Probes.Host;

namespace OneKvm.Probes.Sampling;

/// <summary>One read of <c>DATASTORE_LOCATION</c>: its filesystem, the monitored datastores and the automounted NFS sources (<see cref="DatastoreReader"/>).</summary>
/// <param name="TakenAt">When the read ended.</param>
/// <param name="Info">What was read.</param>
public sealed record DatastoreSnapshot(DateTimeOffset TakenAt, DatastoreInfo Info);
