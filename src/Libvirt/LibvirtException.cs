namespace OneKvm.Libvirt;

/// <summary>
/// A libvirt call that failed: the message names the URI, the call and libvirt's own error text
/// (<c>virGetLastError</c>), so it can be shown to OpenNebula or an admin as it is.
/// </summary>
public sealed class LibvirtException : Exception
{
    public LibvirtException(string message) : base(message) { }

    public LibvirtException(string message, Exception inner) : base(message, inner) { }

    public LibvirtException() { }

    /// <summary>The URI of the connection the call used.</summary>
    public string? Uri { get; init; }

    /// <summary>libvirt's <c>virErrorNumber</c> (<c>code</c> of <c>virError</c>), or null when libvirt was not reached.</summary>
    public int? Code { get; init; }

    /// <summary>True when the call was abandoned at its deadline (the daemon did not answer in time).</summary>
    public bool TimedOut { get; init; }

    /// <summary>True when no connection could be had (daemon down, socket missing, connection lost).</summary>
    public bool Unreachable { get; init; }

    /// <summary>True when the domain does not exist (<c>VIR_ERR_NO_DOMAIN</c>, 42).</summary>
    public bool NoDomain => Code == 42;
}
