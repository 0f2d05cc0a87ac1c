using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using OneKvm.Libvirt.Native;
using OneKvm.Libvirt.Stats;

namespace OneKvm.Libvirt;

/// <summary>The reads and the one write, each a body run on a call thread by <see cref="CallAsync"/>.</summary>
public sealed partial class NativeLibvirtClient
{
    public Task<IReadOnlyList<DomainInfo>> ListDomainsAsync(bool includeInactive, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<DomainInfo>>("virConnectListAllDomains", c => ListDomains(c, includeInactive), cancellationToken);

    public Task<IReadOnlyList<DomainStatsRecord>> GetAllDomainStatsAsync(DomainStatsGroups groups, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<DomainStatsRecord>>("virConnectGetAllDomainStats", c => GetAllDomainStats(c, groups), cancellationToken);

    public Task<string> GetDomainXmlAsync(string uuid, CancellationToken cancellationToken) =>
        CallAsync("virDomainGetXMLDesc", c => GetDomainXml(c, uuid), cancellationToken);

    public Task<string> GetCapabilitiesAsync(CancellationToken cancellationToken) =>
        CallAsync("virConnectGetCapabilities", GetCapabilities, cancellationToken);

    public Task<string> GetDomainCapabilitiesAsync(string? emulator, string? arch, string? machine, string? virtType, CancellationToken cancellationToken) =>
        CallAsync("virConnectGetDomainCapabilities", c => GetDomainCapabilities(c, emulator, arch, machine, virtType), cancellationToken);

    public Task<string> BaselineCpuAsync(IReadOnlyList<string> cpuXml, bool expandFeatures, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cpuXml);
        return CallAsync("virConnectBaselineCPU", c => BaselineCpu(c, cpuXml, expandFeatures), cancellationToken);
    }

    public Task<LibvirtVersion> GetVersionAsync(CancellationToken cancellationToken) =>
        CallAsync("virConnectGetLibVersion", GetVersion, cancellationToken);

    public Task SetCpuSharesAsync(string uuid, ulong shares, bool persistent, CancellationToken cancellationToken) =>
        CallAsync("virDomainSetSchedulerParametersFlags", c =>
        {
            SetCpuShares(c, uuid, shares, persistent);
            return true;
        }, cancellationToken);

    public Task<string> QemuAgentCommandAsync(string uuid, string command, int timeoutSeconds, CancellationToken cancellationToken) =>
        CallAsync("virDomainQemuAgentCommand", c => QemuAgentCommand(c, uuid, command, timeoutSeconds), cancellationToken);

    private unsafe string QemuAgentCommand(NativeConnection connection, string uuid, string command, int timeoutSeconds)
    {
        using var dom = Lookup(connection, uuid);
        return Owned(connection, "virDomainQemuAgentCommand", LibvirtQemuNative.virDomainQemuAgentCommand(dom, command, timeoutSeconds, 0));
    }

    /// <summary><c>major * 1,000,000 + minor * 1,000 + release</c>.</summary>
    internal static Version DecodeVersion(ulong packed) =>
        new((int)(packed / 1_000_000 % 1000), (int)(packed / 1000 % 1000), (int)(packed % 1000));

    private async Task<T> CallAsync<T>(string call, Func<NativeConnection, T> body, CancellationToken cancellationToken)
    {
        var connection = await ConnectionAsync(call, cancellationToken).ConfigureAwait(false);
        return await OnCallThreadAsync(call, connection, body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a body with the handle held, one at a time per connection (see
    /// <see cref="NativeConnection.CallGate"/>); waiting for the gate counts in the deadline. A missed
    /// deadline breaks the connection so the next call gets a fresh one.
    /// </summary>
    private async Task<T> OnCallThreadAsync<T>(string call, NativeConnection connection, Func<NativeConnection, T> body, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        await EnterGateAsync(call, connection, cancellationToken).ConfigureAwait(false);
        // 0: not started, 1: the call thread owns the gate, 2: the caller gave up first and released it.
        var owner = 0;
        try
        {
            var remaining = _options.CallTimeout - _time.GetElapsedTime(started);
            return await RunWithDeadlineAsync(call, () =>
            {
                if (Interlocked.Exchange(ref owner, 1) != 0) throw Closed(call);
                try
                {
                    return OnConnection(call, connection, body);
                }
                finally
                {
                    connection.CallGate.Release();
                }
            }, null, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        }
        catch (LibvirtException e) when (e.TimedOut)
        {
            MarkBroken(connection, $"{call} did not return within {Seconds(_options.CallTimeout)} s");
            throw;
        }
        finally
        {
            if (Interlocked.Exchange(ref owner, 2) == 0) connection.CallGate.Release();
        }
    }

    private async Task EnterGateAsync(string call, NativeConnection connection, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connection.BrokenToken);
        bool entered;
        try
        {
            entered = await connection.CallGate.WaitAsync(_options.CallTimeout, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LibvirtException(LibvirtErrors.Text(call, Uri, $"connection lost ({connection.BrokenReason}) while waiting behind an earlier call"))
            { Uri = Uri, Unreachable = true };
        }
        if (!entered)
        {
            throw new LibvirtException(LibvirtErrors.Text(call, Uri, $"no answer within {Seconds(_options.CallTimeout)} s (an earlier call on the connection is still inside libvirt)"))
            { Uri = Uri, TimedOut = true };
        }
    }

    /// <summary>On the call thread, holding the gate: the body with the handle referenced.</summary>
    private T OnConnection<T>(string call, NativeConnection connection, Func<NativeConnection, T> body)
    {
        if (!connection.TryEnter()) throw Closed(call);
        var added = false;
        try
        {
            connection.Handle.DangerousAddRef(ref added);
            return body(connection);
        }
        catch (ObjectDisposedException)
        {
            throw Closed(call);
        }
        finally
        {
            if (added) connection.Handle.DangerousRelease();
            if (connection.Exit()) ReleaseInBackground(connection);
        }
    }

    private LibvirtException Closed(string call) =>
        new(LibvirtErrors.Text(call, Uri, "connection closed")) { Uri = Uri, Unreachable = true };

    /// <summary>The failed call's error (read on its own thread); a dead connection is marked broken and the error says unreachable.</summary>
    private LibvirtException Failure(NativeConnection connection, string call)
    {
        var (code, message) = LibvirtErrors.TakeLast();
        var alive = LibvirtNative.virConnectIsAlive(connection.Handle) == 1;
        LibvirtNative.virResetLastError();
        if (!alive) MarkBroken(connection, message);
        return new LibvirtException(LibvirtErrors.Text(call, Uri, message)) { Uri = Uri, Code = code, Unreachable = !alive };
    }

    private unsafe string Owned(NativeConnection connection, string call, byte* text) =>
        NativeText.TakeOwned(text) ?? throw Failure(connection, call);

    private unsafe string GetDomainXml(NativeConnection connection, string uuid)
    {
        using var dom = Lookup(connection, uuid);
        return Owned(connection, "virDomainGetXMLDesc", LibvirtNative.virDomainGetXMLDesc(dom, 0));
    }

    private unsafe string GetCapabilities(NativeConnection connection) =>
        Owned(connection, "virConnectGetCapabilities", LibvirtNative.virConnectGetCapabilities(connection.Handle));

    private unsafe string GetDomainCapabilities(NativeConnection connection, string? emulator, string? arch, string? machine, string? virtType) =>
        Owned(connection, "virConnectGetDomainCapabilities",
            LibvirtNative.virConnectGetDomainCapabilities(connection.Handle, emulator, arch, machine, virtType, 0));

    private unsafe LibvirtVersion GetVersion(NativeConnection connection)
    {
        if (LibvirtNative.virConnectGetLibVersion(connection.Handle, out var daemon) < 0) throw Failure(connection, "virConnectGetLibVersion");
        if (LibvirtNative.virGetVersion(out var library, null, null) < 0) throw Failure(connection, "virGetVersion");
        return new LibvirtVersion(DecodeVersion(library), DecodeVersion(daemon));
    }

    private DomainHandle Lookup(NativeConnection connection, string uuid)
    {
        var dom = LibvirtNative.virDomainLookupByUUIDString(connection.Handle, uuid);
        if (!dom.IsInvalid) return dom;
        dom.Dispose();
        throw Failure(connection, "virDomainLookupByUUIDString");
    }

    private unsafe List<DomainInfo> ListDomains(NativeConnection connection, bool includeInactive)
    {
        nint* doms = null;
        var n = LibvirtNative.virConnectListAllDomains(connection.Handle, &doms, includeInactive ? 0 : LibvirtNative.ListDomainsActive);
        if (n < 0) throw Failure(connection, "virConnectListAllDomains");
        var list = new List<DomainInfo>(n);
        try
        {
            for (var i = 0; i < n; i++)
            {
                var dom = doms[i];
                var uuid = NativeText.DomainUuid(dom);
                if (uuid is null || LibvirtNative.virDomainGetState(dom, out var state, out var reason, 0) < 0)
                {
                    // Gone between the list and its state: skipped, unless the connection died.
                    var error = Failure(connection, "virDomainGetState");
                    if (error.Unreachable) throw error;
                    _logger.LogDebug("{Message}", error.Message);
                    continue;
                }
                var name = NativeText.Borrowed(LibvirtNative.virDomainGetName(dom)) ?? uuid;
                list.Add(new DomainInfo(uuid, name, NativeText.DomainId(dom), state, reason));
            }
        }
        finally
        {
            for (var i = 0; i < n; i++) _ = LibvirtNative.virDomainFree(doms[i]);
            NativeMemory.Free(doms);
        }
        return list;
    }

    private unsafe List<DomainStatsRecord> GetAllDomainStats(NativeConnection connection, DomainStatsGroups groups)
    {
        VirDomainStatsRecord** records = null;
        var n = LibvirtNative.virConnectGetAllDomainStats(connection.Handle, (uint)groups, &records,
            LibvirtNative.ListDomainsActive | LibvirtNative.StatsNoWait);
        if (n < 0) throw Failure(connection, "virConnectGetAllDomainStats");
        var result = new List<DomainStatsRecord>(n);
        var warnings = new List<string>();
        try
        {
            for (var i = 0; i < n; i++)
            {
                var record = records[i];
                var uuid = NativeText.DomainUuid(record->Dom);
                if (uuid is null)
                {
                    LibvirtNative.virResetLastError();
                    _logger.LogWarning("libvirt: stats record {Index} on {Uri} has a domain without a UUID; skipped", i, Uri);
                    continue;
                }
                var name = NativeText.Borrowed(LibvirtNative.virDomainGetName(record->Dom)) ?? uuid;
                var parameters = record->Params is null || record->NParams <= 0
                    ? ReadOnlySpan<VirTypedParameter>.Empty
                    : new ReadOnlySpan<VirTypedParameter>(record->Params, record->NParams);
                var stats = DomainStatsMapper.Map(name, parameters, warnings);
                IReadOnlyList<string> dropped = [];
                if (warnings.Count > 0)
                {
                    dropped = [.. warnings];
                    foreach (var w in warnings) _logger.LogWarning("libvirt stats on {Uri}: {Warning}", Uri, w);
                    warnings.Clear();
                }
                result.Add(new DomainStatsRecord(uuid, NativeText.DomainId(record->Dom), stats) { Warnings = dropped });
            }
        }
        finally
        {
            LibvirtNative.virDomainStatsRecordListFree(records);
        }
        return result;
    }

    private unsafe string BaselineCpu(NativeConnection connection, IReadOnlyList<string> cpuXml, bool expandFeatures)
    {
        var texts = new nint[cpuXml.Count];
        try
        {
            for (var i = 0; i < texts.Length; i++) texts[i] = Marshal.StringToCoTaskMemUTF8(cpuXml[i]);
            fixed (nint* array = texts)
            {
                var flags = expandFeatures ? LibvirtNative.BaselineCpuExpandFeatures : 0;
                return Owned(connection, "virConnectBaselineCPU",
                    LibvirtNative.virConnectBaselineCPU(connection.Handle, (byte**)array, (uint)texts.Length, flags));
            }
        }
        finally
        {
            foreach (var t in texts) Marshal.FreeCoTaskMem(t);
        }
    }

    private unsafe void SetCpuShares(NativeConnection connection, string uuid, ulong shares, bool persistent)
    {
        using var dom = Lookup(connection, uuid);
        var flags = LibvirtNative.AffectLive;
        // CONFIG too when asked and the domain has a persistent definition (a transient one has none).
        if (persistent && LibvirtNative.virDomainIsPersistent(dom) == 1) flags |= LibvirtNative.AffectConfig;
        LibvirtNative.virResetLastError();
        VirTypedParameter* parameters = null;
        int count = 0, capacity = 0;
        try
        {
            if (LibvirtNative.virTypedParamsAddULLong(&parameters, &count, &capacity, "cpu_shares", shares) < 0)
            {
                throw Failure(connection, "virTypedParamsAddULLong");
            }
            if (LibvirtNative.virDomainSetSchedulerParametersFlags(dom, parameters, count, flags) < 0)
            {
                throw Failure(connection, "virDomainSetSchedulerParametersFlags");
            }
        }
        finally
        {
            LibvirtNative.virTypedParamsFree(parameters, count);
        }
    }
}
