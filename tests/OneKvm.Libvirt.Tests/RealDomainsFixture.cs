using OneKvm.Tests;

namespace OneKvm.Libvirt.Tests;

/// <summary>Two running QEMU domains for the read tests: one with two disks, a tap NIC and two vCPUs, one bare.</summary>
public sealed class RealDomainsFixture : IDisposable
{
    private readonly TestDomain _full;
    private readonly TestDomain _bare;

    public RealDomainsFixture()
    {
        _full = TestDomain.Start(new TestDomainSpec { Name = "one-8000", Vcpus = 2, Disks = true, TapNic = true, OneVmName = "native-full" });
        _bare = TestDomain.Start(new TestDomainSpec { Name = "onekvm-test-lv1", Acpi = false });
    }

    internal TestDomain Full => _full;

    internal TestDomain Bare => _bare;

    public void Dispose()
    {
        _full.Dispose();
        _bare.Dispose();
    }
}
