using Microsoft.Win32.SafeHandles;

namespace OneKvm.Libvirt.Native;

/// <summary>A <c>virConnectPtr</c>; released with <c>virConnectClose</c>.</summary>
internal sealed class ConnectHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ConnectHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        // A close that fails (the daemon went away) still releases the client side.
        _ = LibvirtNative.virConnectClose(handle);
        LibvirtNative.virResetLastError();
        return true;
    }
}

/// <summary>A <c>virDomainPtr</c> the caller owns; released with <c>virDomainFree</c>.</summary>
internal sealed class DomainHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DomainHandle() : base(ownsHandle: true) { }

    public DomainHandle(nint existing) : base(ownsHandle: true) => SetHandle(existing);

    protected override bool ReleaseHandle()
    {
        return LibvirtNative.virDomainFree(handle) == 0;
    }
}
