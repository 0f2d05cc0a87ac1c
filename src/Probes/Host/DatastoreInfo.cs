using OneKvm.Probes.Host.Kernel;

namespace OneKvm.Probes.Host;

/// <summary>One datastore directory marked for host-side monitoring (<c>&lt;id&gt;/.monitor</c>).</summary>
public sealed record DatastoreUsage(int Id, FileSystemUsage Usage);

/// <summary>The datastore part of SYSTEM_HOST.</summary>
/// <param name="Location">Filesystem of <c>DATASTORE_LOCATION</c> (of its nearest existing ancestor when it does not exist yet).</param>
/// <param name="Datastores">Numeric sub-directories holding a <c>.monitor</c> file, by id.</param>
/// <param name="AutoNfsMounts">Mount sources of sub-directories holding an <c>.automounted</c> file.</param>
public sealed record DatastoreInfo(
    FileSystemUsage? Location,
    IReadOnlyList<DatastoreUsage> Datastores,
    IReadOnlyList<string> AutoNfsMounts);
