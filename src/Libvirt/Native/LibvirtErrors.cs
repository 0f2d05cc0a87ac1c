namespace OneKvm.Libvirt.Native;

/// <summary>libvirt's per-thread last error (<c>virGetLastError</c>), read and reset on the thread that failed.</summary>
internal static unsafe class LibvirtErrors
{
    public const int NoConnect = 5;
    public const int SystemError = 38;
    public const int Rpc = 39;

    /// <summary>The calling thread's last error (code and message), then cleared.</summary>
    public static (int? Code, string Message) TakeLast()
    {
        var error = LibvirtNative.virGetLastError();
        if (error is null) return (null, "failed without an error message");
        var result = (error->Code, NativeText.Borrowed(error->Message) ?? "failed without an error message");
        LibvirtNative.virResetLastError();
        return result;
    }

    public static string Text(string call, string uri, string detail) => $"libvirt {call} on {uri}: {detail}";
}
