namespace OneKvm.Driver.Virsh;

/// <summary>How to reach libvirt. <see cref="Uri"/> defaults to kvmrc's <c>LIBVIRT_URI</c>.</summary>
public sealed record VirshOptions
{
    /// <summary>The virsh program (a path or a name looked up on PATH).</summary>
    public string Path { get; set; } = "virsh";

    /// <summary>The libvirt connection URI.</summary>
    public string Uri { get; set; } = "qemu:///system";

    /// <summary>Seconds after which a virsh call is killed.</summary>
    public double TimeoutSeconds { get; set; } = 20;
}
