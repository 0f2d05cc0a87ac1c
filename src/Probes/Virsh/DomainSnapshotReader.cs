namespace OneKvm.Probes.Virsh;

/// <summary>
/// Reads every active domain with <b>one</b> virsh process per cycle:
/// <c>virsh --connect URI --readonly 'list --uuid --id --name; domstats --nowait --list-active'</c>.
/// virsh runs both commands on one connection; the command string is a constant (no domain name is
/// ever spliced into it). <c>--nowait</c> keeps a domain busy in a migration or save from blocking
/// the call (its job-bound groups are then missing). A domain started between the two commands is
/// in the statistics only; its UUID is then asked for by name (rare, one extra call).
/// </summary>
public static class DomainSnapshotReader
{
    /// <summary>The single virsh argument that lists and reads all active domains.</summary>
    public const string BulkCommand = "list --uuid --id --name; domstats --nowait --list-active";

    /// <summary>Runs the bulk call; a failure (libvirtd down, timeout) propagates as <see cref="VirshException"/>.</summary>
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task<DomainSnapshot> ReadAsync(IVirsh virsh, TimeProvider time, CancellationToken cancellationToken)
    {
        // One bulk read at a time per process: with --nowait, libvirt skips the block (and balloon)
        // stats of a domain whose monitor another domstats holds, so the agent's categories running
        // at the same moment would blank each other's disk counters.
        string text;
        await Gate.WaitAsync(cancellationToken);
        try
        {
            text = await virsh.RunAsync(["--readonly", BulkCommand], cancellationToken);
        }
        finally
        {
            Gate.Release();
        }
        var takenAt = time.GetUtcNow();
        var (list, stats) = Split(text);
        var source = $"virsh domstats ({virsh.Uri})";
        var listed = DomainListParser.Parse(list, $"virsh list ({virsh.Uri})");
        var byName = new Dictionary<string, DomainListEntry>(StringComparer.Ordinal);
        foreach (var entry in listed) byName[entry.Name] = entry;

        var domains = new List<DomainEntry>();
        foreach (var stat in DomStatsParser.Parse(stats, source))
        {
            if (byName.TryGetValue(stat.Name, out var entry))
            {
                domains.Add(new DomainEntry(stat.Name, entry.Uuid, entry.Id, stat));
                continue;
            }
            var uuid = await TryUuidAsync(virsh, stat.Name, cancellationToken);
            if (uuid is not null) domains.Add(new DomainEntry(stat.Name, uuid, null, stat));
        }
        return new DomainSnapshot(domains, takenAt);
    }

    /// <summary>Splits the combined output at the first <c>Domain: '</c> line.</summary>
    internal static (string List, string Stats) Split(string text)
    {
        var at = text.StartsWith("Domain: '", StringComparison.Ordinal) ? 0 : text.IndexOf("\nDomain: '", StringComparison.Ordinal);
        return at < 0 ? (text, "") : (text[..at], text[at..]);
    }

    private static async Task<string?> TryUuidAsync(IVirsh virsh, string name, CancellationToken cancellationToken)
    {
        try
        {
            var text = (await virsh.RunAsync(["--readonly", "domuuid", "--domain", name], cancellationToken)).Trim();
            return Guid.TryParseExact(text, "D", out _) ? text.ToLowerInvariant() : null;
        }
        catch (VirshException e) when (!e.TimedOut)
        {
            return null; // gone again since the bulk call
        }
    }
}
