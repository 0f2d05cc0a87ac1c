using OneKvm.Probes.Virsh;

namespace OneKvm.Probes.Tests.Virsh;

public sealed class DomainXmlParserTests
{
    // Shape of a live OpenNebula domain (vmm-driver.md §5, libvirt 9.0 dumpxml), trimmed.
    internal const string OneVmXml = """
        <domain type='qemu' id='46'>
          <name>one-74</name>
          <uuid>C5F37DDA-A65F-4BE1-9E15-93BF111D69A1</uuid>
          <title>web &amp; db</title>
          <metadata>
            <one:vm xmlns:one="http://opennebula.org/xmlns/libvirt/1.0">
              <one:system_datastore><![CDATA[/var/lib/one//datastores/0/74]]></one:system_datastore>
              <one:name><![CDATA[web]]></one:name>
              <one:uname>oneadmin</one:uname><one:uid>0</one:uid>
              <one:gname>oneadmin</one:gname><one:gid>0</one:gid>
              <one:opennebula_version>7.4.0</one:opennebula_version>
              <one:stime>1724150000</one:stime>
              <one:deployment_time>1724150012</one:deployment_time>
            </one:vm>
          </metadata>
          <memory unit='KiB'>98304</memory>
          <currentMemory unit='KiB'>98304</currentMemory>
          <vcpu placement='static'>2</vcpu>
          <os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type><boot dev='hd'/></os>
          <features><acpi/><apic/><pae/><hyperv mode='custom'/></features>
          <devices>
            <emulator>/usr/bin/qemu-system-x86_64</emulator>
            <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/tmp/lv/disk0.qcow2'/><target dev='vda' bus='virtio'/></disk>
            <disk type='network' device='disk'><driver name='qemu' type='raw'/><source protocol='rbd' name='one/one-0-74-1'/><target dev='sda' bus='scsi'/></disk>
            <disk type='file' device='cdrom'><target dev='hda' bus='ide'/></disk>
            <interface type='ethernet'><mac address='02:00:0a:00:00:4a'/><target dev='one-74-0'/><model type='virtio'/></interface>
            <channel type='unix'><source mode='bind' path='/var/lib/libvirt/qemu/channel/target/domain-46-one-74/org.qemu.guest_agent.0'/><target type='virtio' name='org.qemu.guest_agent.0' state='disconnected'/></channel>
            <graphics type='vnc' port='5974' autoport='no' listen='0.0.0.0'><listen type='address' address='0.0.0.0'/></graphics>
            <graphics type='spice' port='-1' autoport='yes'/>
          </devices>
        </domain>
        """;

    [Fact]
    public void Parse_OpenNebulaDomain_ReadsIdentityDevicesAndMetadata()
    {
        var x = DomainXmlParser.Parse(OneVmXml);
        x.Name.ShouldBe("one-74");
        x.Uuid.ShouldBe("c5f37dda-a65f-4be1-9e15-93bf111d69a1");
        x.Title.ShouldBe("web & db");
        x.Vcpus.ShouldBe(2);
        x.MemoryKiB.ShouldBe(98304UL);
        x.OsArch.ShouldBe("x86_64");
        x.Features.ShouldBe(["acpi", "apic", "pae", "hyperv"]);
        x.Disks.Count.ShouldBe(3);
        x.Disks[0].ShouldBe(new DomainDisk("disk", "vda", "virtio", "/tmp/lv/disk0.qcow2", "qcow2"));
        x.Disks[1].Source.ShouldBe("one/one-0-74-1");
        x.Disks[2].Source.ShouldBeNull();
        x.Interfaces.ShouldHaveSingleItem().ShouldBe(new DomainInterface("ethernet", "one-74-0", "02:00:0a:00:00:4a", "virtio"));
        x.GuestAgentChannel.ShouldBeTrue();
        x.Graphics.ShouldBe([new DomainGraphics("vnc", 5974, "0.0.0.0"), new DomainGraphics("spice", -1, null)]);
        x.OneVm.ShouldBe(new OneVmMetadata("web", "oneadmin", 0, "oneadmin", 0, "/var/lib/one//datastores/0/74", "7.4.0", 1724150000, 1724150012));
    }

    [Fact]
    public void Parse_MinimalWildDomain_HasNoMetadata()
    {
        var x = DomainXmlParser.Parse("<domain type='kvm'><name>w</name><uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid></domain>");
        x.OneVm.ShouldBeNull();
        x.Vcpus.ShouldBeNull();
        x.GuestAgentChannel.ShouldBeFalse();
        x.Disks.ShouldBeEmpty();
    }

    [Fact]
    public void Parse_MetadataInAnotherNamespace_IsNotOpenNebulas() =>
        DomainXmlParser.Parse("<domain><name>w</name><uuid>u</uuid><metadata><one:vm xmlns:one='urn:x'><one:name>n</one:name></one:vm></metadata></domain>")
            .OneVm.ShouldBeNull();

    [Theory]
    [InlineData("<memory unit='MiB'>64</memory>", 65536UL)]
    [InlineData("<memory unit='G'>1</memory>", 1048576UL)]
    [InlineData("<memory unit='bytes'>2048</memory>", 2UL)]
    [InlineData("<memory unit='KB'>1024</memory>", 1000UL)]
    [InlineData("<memory>512</memory>", 512UL)]
    [InlineData("<memory unit='parsecs'>1</memory>", null)]
    [InlineData("<memory unit='TiB'>18446744073709551615</memory>", null)]
    [InlineData("<memory>-5</memory>", null)]
    public void Parse_MemoryUnits_ConvertToKiB(string element, ulong? kib) =>
        DomainXmlParser.Parse($"<domain><name>a</name><uuid>u</uuid>{element}</domain>").MemoryKiB.ShouldBe(kib);

    [Theory]
    [InlineData("<domain><name>a</name></domain>", "no <uuid>")]
    [InlineData("<domain><uuid>u</uuid></domain>", "no <name>")]
    [InlineData("<network><name>a</name></network>", "not <domain>")]
    [InlineData("<domain><name>a", "not well-formed")]
    [InlineData("<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><domain><name>&x;</name><uuid>u</uuid></domain>", "not well-formed")]
    public void Parse_BadXml_IsAFormatErrorNamingTheSource(string xml, string mention)
    {
        var e = Should.Throw<FormatException>(() => DomainXmlParser.Parse(xml, "dumpxml one-1"));
        e.Message.ShouldStartWith("dumpxml one-1: ");
        e.Message.ShouldContain(mention);
    }
}
