using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OneKvm.Libvirt;

namespace OneKvm.Collector.Hosting;

/// <summary>The <c>--log-level debug</c> view of libvirt: each read (and the one write) with its duration and result size.</summary>
internal sealed class LoggingLibvirtClient(ILibvirtClient inner, ILogger log) : ILibvirtClient
{
    public string Uri => inner.Uri;

    public IObservable<DomainEvent> Events => inner.Events;

    public IObservable<ConnectionChange> ConnectionChanges => inner.ConnectionChanges;

    public Task<IReadOnlyList<DomainInfo>> ListDomainsAsync(bool includeInactive, CancellationToken cancellationToken) =>
        TimedAsync($"list domains{(includeInactive ? " (all)" : "")}", () => inner.ListDomainsAsync(includeInactive, cancellationToken), r => $"{r.Count} domains");

    public Task<IReadOnlyList<DomainStatsRecord>> GetAllDomainStatsAsync(DomainStatsGroups groups, CancellationToken cancellationToken) =>
        TimedAsync($"domain stats ({groups})", () => inner.GetAllDomainStatsAsync(groups, cancellationToken), r => $"{r.Count} records");

    public Task<string> GetDomainXmlAsync(string uuid, CancellationToken cancellationToken) =>
        TimedAsync($"domain XML {uuid}", () => inner.GetDomainXmlAsync(uuid, cancellationToken), Size);

    public Task<string> GetCapabilitiesAsync(CancellationToken cancellationToken) =>
        TimedAsync("capabilities", () => inner.GetCapabilitiesAsync(cancellationToken), Size);

    public Task<string> GetDomainCapabilitiesAsync(string? emulator, string? arch, string? machine, string? virtType, CancellationToken cancellationToken) =>
        TimedAsync($"domain capabilities {arch ?? "-"} {machine ?? "-"} {virtType ?? "-"}",
            () => inner.GetDomainCapabilitiesAsync(emulator, arch, machine, virtType, cancellationToken), Size);

    public Task<string> BaselineCpuAsync(IReadOnlyList<string> cpuXml, bool expandFeatures, CancellationToken cancellationToken) =>
        TimedAsync("baseline CPU", () => inner.BaselineCpuAsync(cpuXml, expandFeatures, cancellationToken), Size);

    public Task<LibvirtVersion> GetVersionAsync(CancellationToken cancellationToken) =>
        TimedAsync("version", () => inner.GetVersionAsync(cancellationToken), v => $"daemon {v.Daemon}");

    public async Task SetCpuSharesAsync(string uuid, ulong shares, bool persistent, CancellationToken cancellationToken) =>
        await TimedAsync($"set cpu_shares={shares} {uuid}", async () =>
        {
            await inner.SetCpuSharesAsync(uuid, shares, persistent, cancellationToken);
            return true;
        }, _ => "done");

    public Task<string> QemuAgentCommandAsync(string uuid, string command, int timeoutSeconds, CancellationToken cancellationToken) =>
        TimedAsync($"guest agent command {uuid}", () => inner.QemuAgentCommandAsync(uuid, command, timeoutSeconds, cancellationToken), Size);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private static string Size(string text) => $"{text.Length} characters";

    private async Task<T> TimedAsync<T>(string call, Func<Task<T>> run, Func<T, string> describe)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await run();
            log.LogDebug("libvirt {Call}: {Milliseconds:0.0} ms, {Result}", call, Stopwatch.GetElapsedTime(started).TotalMilliseconds, describe(result));
            return result;
        }
        catch (Exception e) when (e is LibvirtException or OperationCanceledException)
        {
            log.LogDebug("libvirt {Call}: failed after {Milliseconds:0.0} ms: {Error}", call, Stopwatch.GetElapsedTime(started).TotalMilliseconds, e.Message);
            throw;
        }
    }
}
