using System.Runtime.InteropServices;

namespace OneKvm.Libvirt.Native;

/// <summary>
/// The QEMU-specific part of libvirt's API, a library of its own (<c>libvirt-qemu.so.0</c>, Debian
/// <c>libvirt0</c>); signatures as in <c>/usr/include/libvirt/libvirt-qemu.h</c>.
/// </summary>
internal static unsafe partial class LibvirtQemuNative
{
    private const string Lib = "libvirt-qemu.so.0";

    /// <summary>Returns the agent's answer as a <c>char *</c> for the caller to free, or null on failure (<c>virGetLastError</c>).</summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial byte* virDomainQemuAgentCommand(DomainHandle domain, string cmd, int timeout, uint flags);
}
