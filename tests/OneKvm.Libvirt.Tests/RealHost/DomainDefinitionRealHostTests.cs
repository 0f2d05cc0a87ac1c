using OneKvm.Libvirt.Domain;
using OneKvm.Tests;

namespace OneKvm.Libvirt.Tests.RealHost;

/// <summary>The live XML the real libvirtd writes for a QEMU domain, parsed by the model and compared with what was defined and with virsh.</summary>
[Trait(TestTraits.Category, TestTraits.RealHost)]
[Collection(LibvirtGroup.Name)]
public sealed class DomainDefinitionRealHostTests
{
    [Fact]
    public void Parse_LiveXmlOfARunningDomain_MatchesTheDefinitionAndVirsh()
    {
        using var domain = TestDomain.Start(new TestDomainSpec
        {
            Name = "onekvm-test-dm1",
            MemoryMiB = 80,
            Vcpus = 2,
            Shares = 300,
            Disks = true,
            GuestAgent = true,
            OneVmName = "model & <test>",
            SystemDatastore = "/var/lib/one//datastores/0/9",
            Title = "domain model",
        });
        var xml = TestDomain.Virsh("dumpxml", domain.Name).Stdout;

        var d = DomainDefinition.Parse(xml, domain.Name);

        d.Name.ShouldBe("onekvm-test-dm1");
        d.OneVmId.ShouldBeNull();
        d.Uuid.ShouldBe(domain.Uuid);
        d.Type.ShouldBe("qemu");
        d.Id.ShouldBe(int.Parse(TestDomain.Virsh("domid", domain.Name).Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture));
        d.Title.ShouldBe("domain model");
        d.Vcpus.ShouldNotBeNull().Maximum.ShouldBe(2u);
        d.Vcpus.Current.ShouldBe(2u);
        d.MemoryKiB.ShouldBe(80UL * 1024);
        d.CpuTune.ShouldNotBeNull().Shares.ShouldBe(300UL);
        d.Os.ShouldNotBeNull().Arch.ShouldBe("x86_64");
        d.Features.ShouldContain("acpi");
        d.Disks.Select(x => x.TargetDev).ShouldBe(["vda", "vdb"]);
        d.Disks[0].Driver.ShouldNotBeNull().Type.ShouldBe("qcow2");
        d.Disks[0].SourcePath.ShouldBe("/var/lib/libvirt/images/onekvm-tests/onekvm-test-dm1-qcow2.img");
        d.Disks[1].Driver.ShouldNotBeNull().Type.ShouldBe("raw");
        d.Interfaces.ShouldBeEmpty(); // a wild name is too long for a tap device (IFNAMSIZ)
        d.Graphics.ShouldAllBe(g => g.Port != null);
        d.GuestAgentChannel.ShouldNotBeNull().TargetType.ShouldBe("virtio");
        d.OneVm.ShouldNotBeNull().Name.ShouldBe("model & <test>");
        d.OneVm.SystemDatastore.ShouldBe("/var/lib/one//datastores/0/9");
    }
}
