namespace OneKvm.Tests;

/// <summary>
/// Test classes that start real domains or stop libvirtd share one libvirtd: xunit runs the classes
/// of this collection one after another, so an outage test never pulls libvirtd from under another.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LibvirtGroup
{
    public const string Name = "real libvirtd";
}
