namespace OneKvm.Libvirt.Replay;

/// <summary>Call names used as keys of <see cref="LibvirtRecording.Failures"/>.</summary>
public static class ReplayCall
{
    public const string List = "list";
    public const string Stats = "stats";
    public const string Xml = "xml";
    public const string Capabilities = "capabilities";
    public const string DomainCapabilities = "domcapabilities";
    public const string Baseline = "baseline";
    public const string Version = "version";
    public const string SetShares = "setshares";
    public const string Agent = "agent";
}
