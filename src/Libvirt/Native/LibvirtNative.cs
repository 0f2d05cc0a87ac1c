using System.Runtime.InteropServices;

namespace OneKvm.Libvirt.Native;

/// <summary>
/// Source-generated bindings to <c>libvirt.so.0</c> (Debian <c>libvirt0</c>); signatures as in
/// <c>/usr/include/libvirt/libvirt-{host,domain,event}.h</c> and <c>virterror.h</c>. Strings that
/// libvirt returns as <c>char *</c> are the caller's to <c>free</c> (see <see cref="NativeText"/>);
/// <c>const char *</c> ones belong to libvirt.
/// </summary>
internal static unsafe partial class LibvirtNative
{
    private const string Lib = "libvirt.so.0";

    // virConnectListAllDomainsFlags / virConnectGetAllDomainStatsFlags
    public const uint ListDomainsActive = 1;
    public const uint StatsNoWait = 1u << 29;

    public const int EventIdLifecycle = 0;
    public const int EventIdDeviceRemoved = 15;
    public const int EventIdTunable = 17;
    public const int EventIdDeviceAdded = 19;
    public const int EventIdDeviceRemovalFailed = 22;
    public const int EventIdMetadataChange = 23;

    public const uint AffectLive = 1;
    public const uint AffectConfig = 2;

    public const uint BaselineCpuExpandFeatures = 1;

    public const int UuidStringBufferLength = 37;

    [LibraryImport(Lib)]
    public static partial int virGetVersion(out ulong libVer, byte* type, ulong* typeVer);

    [LibraryImport(Lib)]
    public static partial int virInitialize();

    [LibraryImport(Lib)]
    public static partial int virEventRegisterDefaultImpl();

    [LibraryImport(Lib)]
    public static partial int virEventRunDefaultImpl();

    [LibraryImport(Lib)]
    public static partial void virSetErrorFunc(nint userData, delegate* unmanaged<nint, nint, void> handler);

    [LibraryImport(Lib)]
    public static partial VirError* virGetLastError();

    [LibraryImport(Lib)]
    public static partial void virResetLastError();

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial ConnectHandle virConnectOpen(string uri);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial ConnectHandle virConnectOpenReadOnly(string uri);

    [LibraryImport(Lib)]
    public static partial int virConnectClose(nint conn);

    [LibraryImport(Lib)]
    public static partial int virConnectIsAlive(ConnectHandle conn);

    [LibraryImport(Lib)]
    public static partial int virConnectSetKeepAlive(ConnectHandle conn, int interval, uint count);

    [LibraryImport(Lib)]
    public static partial int virConnectRegisterCloseCallback(ConnectHandle conn, delegate* unmanaged<nint, int, nint, void> cb, nint opaque, delegate* unmanaged<nint, void> freecb);

    [LibraryImport(Lib)]
    public static partial int virConnectUnregisterCloseCallback(ConnectHandle conn, delegate* unmanaged<nint, int, nint, void> cb);

    [LibraryImport(Lib)]
    public static partial int virConnectDomainEventRegisterAny(ConnectHandle conn, nint dom, int eventId, void* cb, nint opaque, delegate* unmanaged<nint, void> freecb);

    [LibraryImport(Lib)]
    public static partial int virConnectDomainEventDeregisterAny(ConnectHandle conn, int callbackId);

    [LibraryImport(Lib)]
    public static partial int virConnectGetLibVersion(ConnectHandle conn, out ulong libVer);

    [LibraryImport(Lib)]
    public static partial byte* virConnectGetCapabilities(ConnectHandle conn);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial byte* virConnectGetDomainCapabilities(ConnectHandle conn, string? emulatorbin, string? arch, string? machine, string? virttype, uint flags);

    [LibraryImport(Lib)]
    public static partial byte* virConnectBaselineCPU(ConnectHandle conn, byte** xmlCPUs, uint ncpus, uint flags);

    [LibraryImport(Lib)]
    public static partial int virConnectGetAllDomainStats(ConnectHandle conn, uint stats, VirDomainStatsRecord*** retStats, uint flags);

    [LibraryImport(Lib)]
    public static partial void virDomainStatsRecordListFree(VirDomainStatsRecord** stats);

    [LibraryImport(Lib)]
    public static partial int virConnectListAllDomains(ConnectHandle conn, nint** domains, uint flags);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial DomainHandle virDomainLookupByUUIDString(ConnectHandle conn, string uuid);

    [LibraryImport(Lib)]
    public static partial int virDomainFree(nint dom);

    [LibraryImport(Lib)]
    public static partial int virDomainGetState(nint dom, out int state, out int reason, uint flags);

    [LibraryImport(Lib)]
    public static partial int virDomainGetUUIDString(nint dom, byte* buf);

    [LibraryImport(Lib)]
    public static partial uint virDomainGetID(nint dom);

    /// <summary>Owned by the domain object: not freed.</summary>
    [LibraryImport(Lib)]
    public static partial byte* virDomainGetName(nint dom);

    [LibraryImport(Lib)]
    public static partial byte* virDomainGetXMLDesc(DomainHandle dom, uint flags);

    [LibraryImport(Lib)]
    public static partial int virDomainIsPersistent(DomainHandle dom);

    [LibraryImport(Lib)]
    public static partial int virDomainSetSchedulerParametersFlags(DomainHandle dom, VirTypedParameter* parameters, int nparams, uint flags);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int virTypedParamsAddULLong(VirTypedParameter** parameters, int* nparams, int* maxparams, string name, ulong value);

    [LibraryImport(Lib)]
    public static partial void virTypedParamsFree(VirTypedParameter* parameters, int nparams);
}

/// <summary><c>virError</c> (virterror.h); only the leading fields OneKvm reads.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct VirError
{
    public int Code;
    public int Domain;
    public byte* Message;
    public int Level;
}

/// <summary><c>virDomainStatsRecord</c>: the domain (owned by the record list), its typed parameters.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct VirDomainStatsRecord
{
    public nint Dom;
    public VirTypedParameter* Params;
    public int NParams;
}
