using System.Runtime.InteropServices;

namespace OneKvm.Libvirt.Native;

/// <summary>Strings across the boundary: libvirt's <c>char *</c> results are freed with C <c>free</c>.</summary>
internal static unsafe class NativeText
{
    /// <summary>Copies and frees a string libvirt returned for the caller to free (null stays null).</summary>
    public static string? TakeOwned(byte* text)
    {
        if (text is null) return null;
        try
        {
            return Marshal.PtrToStringUTF8((nint)text);
        }
        finally
        {
            NativeMemory.Free(text);
        }
    }

    /// <summary>Copies a string libvirt keeps (<c>const char *</c>).</summary>
    public static string? Borrowed(byte* text) => text is null ? null : Marshal.PtrToStringUTF8((nint)text);

    /// <summary>The domain's UUID in lower case (libvirt prints it so; normalised anyway).</summary>
    public static string? DomainUuid(nint dom)
    {
        var buffer = stackalloc byte[LibvirtNative.UuidStringBufferLength];
        if (LibvirtNative.virDomainGetUUIDString(dom, buffer) < 0) return null;
        return Marshal.PtrToStringUTF8((nint)buffer)?.ToLowerInvariant();
    }

    /// <summary><c>virDomainGetID</c>, with its <c>(unsigned int)-1</c> for an inactive domain as null.</summary>
    public static int? DomainId(nint dom)
    {
        var id = LibvirtNative.virDomainGetID(dom);
        return id == uint.MaxValue || id > int.MaxValue ? null : (int)id;
    }
}
