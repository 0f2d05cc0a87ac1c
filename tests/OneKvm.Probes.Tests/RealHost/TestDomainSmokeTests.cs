using OneKvm.Tests;

namespace OneKvm.Probes.Tests.RealHost;

/// <summary>The test harness itself: a real QEMU domain with every device the probes read starts and stops.</summary>
[Trait(TestTraits.Category, TestTraits.RealHost)]
[Collection(LibvirtGroup.Name)]
public sealed class TestDomainSmokeTests
{
    [Fact]
    public void Start_FullDomain_RunsUnderLibvirt()
    {
        using var domain = TestDomain.Start(new TestDomainSpec
        {
            Name = "one-9001",
            Disks = true,
            TapNic = true,
            GuestAgent = true,
            OneVmName = "smoke",
            Shares = 512,
        });
        TestDomain.Virsh("domstate", domain.Name).Stdout.Trim().ShouldBe("running");
        TestDomain.Virsh("domuuid", domain.Name).Stdout.Trim().ShouldBe(domain.Uuid);
        domain.Suspend();
        TestDomain.Virsh("domstate", domain.Name).Stdout.Trim().ShouldBe("paused");
    }
}
