using OneKvm.Libvirt.Domain;
using OneKvm.Tests;

namespace OneKvm.Libvirt.Tests.Domain;

public sealed class DomainDefinitionTests
{
    // Shape of a live OpenNebula domain (libvirt 9.0 dumpxml), trimmed.
    internal const string OneVmXml = """
        <domain type='qemu' id='46'>
          <name>one-74</name>
          <uuid>C5F37DDA-A65F-4BE1-9E15-93BF111D69A1</uuid>
          <title>web &amp; db</title>
          <description>front end</description>
          <metadata>
            <one:vm xmlns:one="http://opennebula.org/xmlns/libvirt/1.0">
              <one:system_datastore><![CDATA[/var/lib/one//datastores/0/74]]></one:system_datastore>
              <one:name><![CDATA[web]]></one:name>
              <one:uname>oneadmin</one:uname><one:uid>0</one:uid>
              <one:gname>oneadmin</one:gname><one:gid>0</one:gid>
              <one:opennebula_version>7.4.0</one:opennebula_version>
              <one:stime>1724150000</one:stime>
              <one:deployment_time>1724150012</one:deployment_time>
              <one:pci_devices>10DE:2236:0302, 8086:1521:0200</one:pci_devices>
            </one:vm>
          </metadata>
          <maxMemory slots='16' unit='GiB'>4</maxMemory>
          <memory unit='KiB'>98304</memory>
          <currentMemory unit='MiB'>64</currentMemory>
          <vcpu placement='static' cpuset='0-3,^2' current='1'>2</vcpu>
          <cputune>
            <shares>1024</shares>
            <period>100000</period>
            <quota>-1</quota>
            <vcpupin vcpu='0' cpuset='1'/>
            <vcpupin vcpu='1' cpuset='2-3'/>
          </cputune>
          <os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type><boot dev='hd'/></os>
          <features><acpi/><apic/><pae/><hyperv mode='custom'/></features>
          <devices>
            <emulator>/usr/bin/qemu-system-x86_64</emulator>
            <disk type='file' device='disk'>
              <driver name='qemu' type='qcow2' cache='none' io='native' discard='unmap'/>
              <source file='/tmp/lv/disk0.qcow2'/><target dev='vda' bus='virtio'/>
              <serial>s0</serial>
              <iotune><total_bytes_sec>1000</total_bytes_sec><read_iops_sec_max>20</read_iops_sec_max><group_name>g</group_name></iotune>
            </disk>
            <disk type='network' device='disk'>
              <driver name='qemu' type='raw'/>
              <source protocol='rbd' name='one/one-0-74-1'><host name='mon1' port='6789'/><host name='mon2'/></source>
              <target dev='sda' bus='scsi'/>
            </disk>
            <disk type='file' device='cdrom'><target dev='hda' bus='ide'/><readonly/></disk>
            <interface type='ethernet'><mac address='02:00:0a:00:00:4a'/><target dev='one-74-0'/><model type='virtio'/></interface>
            <interface type='network'><source network='default'/><mac address='52:54:00:00:00:01'/></interface>
            <channel type='unix'><source mode='bind' path='/var/lib/libvirt/qemu/channel/target/domain-46-one-74/org.qemu.guest_agent.0'/><target type='virtio' name='org.qemu.guest_agent.0' state='disconnected'/></channel>
            <channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>
            <graphics type='vnc' port='5974' autoport='no' listen='0.0.0.0' passwd='secret'><listen type='address' address='0.0.0.0'/></graphics>
            <graphics type='spice' port='-1' autoport='yes'><listen type='address' address='::1'/></graphics>
            <hostdev mode='subsystem' type='pci' managed='yes'>
              <source><address domain='0x0000' bus='0x81' slot='0x00' function='0x1'/></source>
            </hostdev>
          </devices>
        </domain>
        """;

    [Fact]
    public void Parse_OpenNebulaDomain_ReadsIdentityResourcesAndTuning()
    {
        var d = DomainDefinition.Parse(OneVmXml, "t");
        d.Name.ShouldBe("one-74");
        d.OneVmId.ShouldBe(74);
        d.Uuid.ShouldBe("c5f37dda-a65f-4be1-9e15-93bf111d69a1");
        d.Type.ShouldBe("qemu");
        d.Id.ShouldBe(46);
        d.Title.ShouldBe("web & db");
        d.Description.ShouldBe("front end");
        d.Vcpus.ShouldBe(new DomainVcpus(2, 1, "static", "0-3,^2"));
        d.MemoryKiB.ShouldBe(98304UL);
        d.CurrentMemoryKiB.ShouldBe(65536UL);
        d.MaximumMemoryKiB.ShouldBe(4UL << 20);
        d.CpuTune!.Shares.ShouldBe(1024UL);
        d.CpuTune.PeriodMicroseconds.ShouldBe(100000UL);
        d.CpuTune.QuotaMicroseconds.ShouldBe(-1L);
        d.CpuTune.VcpuPins.ShouldBe([new DomainVcpuPin(0, "1"), new DomainVcpuPin(1, "2-3")]);
        d.Os.ShouldBe(new DomainOs("hvm", "x86_64", "pc-i440fx-7.2"));
        d.Features.ShouldBe(["acpi", "apic", "pae", "hyperv"]);
    }

    [Fact]
    public void Parse_OpenNebulaDomain_ReadsDevices()
    {
        var d = DomainDefinition.Parse(OneVmXml, "t");
        d.Disks.Count.ShouldBe(3);
        var vda = d.Disks[0];
        (vda.Type, vda.Device, vda.TargetDev, vda.TargetBus, vda.SourcePath, vda.Serial, vda.ReadOnly)
            .ShouldBe(("file", "disk", "vda", "virtio", "/tmp/lv/disk0.qcow2", "s0", false));
        vda.Driver.ShouldBe(new DomainDiskDriver("qemu", "qcow2", "none", "native", "unmap"));
        vda.IoTune.ShouldBe(new DomainIoTune { TotalBytesSec = 1000, ReadIopsSecMax = 20, GroupName = "g" });
        var rbd = d.Disks[1].Source!;
        (rbd.Protocol, rbd.Name, d.Disks[1].SourcePath).ShouldBe(("rbd", "one/one-0-74-1", "one/one-0-74-1"));
        rbd.Hosts.ShouldBe([new DomainDiskHost("mon1", 6789, null), new DomainDiskHost("mon2", null, null)]);
        d.Disks[2].Source.ShouldBeNull();
        d.Disks[2].SourcePath.ShouldBeNull();
        d.Disks[2].ReadOnly.ShouldBeTrue();

        d.Interfaces.Count.ShouldBe(2);
        d.Interfaces[0].ShouldBe(new DomainInterface { Type = "ethernet", TargetDev = "one-74-0", Mac = "02:00:0a:00:00:4a", Model = "virtio" });
        d.Interfaces[1].ShouldBe(new DomainInterface { Type = "network", SourceNetwork = "default", Mac = "52:54:00:00:00:01" });

        d.Channels.Count.ShouldBe(2);
        d.GuestAgentChannel.ShouldBe(new DomainChannel("unix", "virtio", "org.qemu.guest_agent.0", "disconnected",
            "/var/lib/libvirt/qemu/channel/target/domain-46-one-74/org.qemu.guest_agent.0"));
        d.Graphics.ShouldBe([new DomainGraphics("vnc", 5974, false, "0.0.0.0", true), new DomainGraphics("spice", -1, true, "::1", false)]);
        var hostdev = d.HostDevices.ShouldHaveSingleItem();
        hostdev.ShouldBe(new DomainHostDevice("subsystem", "pci", true, new PciAddress(0, 0x81, 0, 1)));
        hostdev.PciAddress.ToString().ShouldBe("0000:81:00.1");
    }

    [Fact]
    public void Parse_OpenNebulaDomain_ReadsOneVmMetadata()
    {
        var one = DomainDefinition.Parse(OneVmXml, "t").OneVm!;
        (one.Name, one.UserName, one.UserId, one.GroupName, one.GroupId).ShouldBe(("web", "oneadmin", 0, "oneadmin", 0));
        one.SystemDatastore.ShouldBe("/var/lib/one//datastores/0/74");
        one.OpenNebulaVersion.ShouldBe("7.4.0");
        (one.StartTime, one.DeploymentTime).ShouldBe((1724150000L, 1724150012L));
        one.PciDevices.ShouldBe([new OnePciDevice("10de", "2236", "0302"), new OnePciDevice("8086", "1521", "0200")]);
        one.PciDevices[0].IsNvidia.ShouldBeTrue();
    }

    /// <summary>The live XML of domain <paramref name="name"/> in a fixture host's libvirt recording.</summary>
    private static string RecordedXml(string host, string name)
    {
        var path = Path.Join(TestPaths.Host(host), "libvirt.json");
        var recording = System.Text.Json.JsonSerializer.Deserialize(File.ReadAllText(path), OneKvm.Libvirt.Replay.LibvirtRecordingJson.Default.LibvirtRecording)!;
        var uuid = recording.Domains!.Single(d => d.Name == name).Uuid;
        return recording.Xml![uuid];
    }

    [Fact]
    public void Parse_CapturedLibvirt9Domain_FromTheThreeDomainHost()
    {
        var d = DomainDefinition.Parse(RecordedXml("kvm-three-domains", "onekvm-test-vm90"), "kvm-three-domains/libvirt.json");
        (d.Name, d.Uuid, d.Type, d.Id, d.OneVmId).ShouldBe(("onekvm-test-vm90", "a2a1d353-0d54-48aa-9ed7-15f66a147a40", "qemu", 49, null));
        d.Vcpus.ShouldBe(new DomainVcpus(1, 1, "static", null));
        (d.MemoryKiB, d.CurrentMemoryKiB, d.MaximumMemoryKiB).ShouldBe((65536UL, 65536UL, null));
        d.Os.ShouldBe(new DomainOs("hvm", "x86_64", "pc-i440fx-7.2"));
        d.Features.ShouldBe(["acpi"]);
        d.Graphics.ShouldBe([new DomainGraphics("vnc", 5903, true, "127.0.0.1", false)]);
        d.Disks.ShouldBeEmpty();
        d.OneVm.ShouldBeNull();
        d.CpuTune.ShouldBeNull();
    }

    [Theory]
    [InlineData("cgroup-v1-hybrid", "one-81", 81, 2u, 98304UL, 1024UL, "/var/lib/one//datastores/0/81")]
    [InlineData("cgroup-v1-hybrid", "legacy-db", null, 1u, 65536UL, null, null)]
    [InlineData("cgroup-v2-systemd", "one-90", 90, 2u, 1048576UL, 200UL, "/var/lib/one//datastores/0/90")]
    public void Parse_AuditFixtures_GiveWhatTheAuditReads(string host, string name, int? vmId, uint vcpus, ulong kib, ulong? shares, string? datastore)
    {
        var d = DomainDefinition.Parse(RecordedXml(host, name), $"{host}/libvirt.json");
        (d.Name, d.OneVmId, d.Vcpus?.Current, d.CurrentMemoryKiB ?? d.MemoryKiB, d.CpuTune?.Shares, d.OneVm?.SystemDatastore)
            .ShouldBe((name, vmId, vcpus, kib, shares, datastore));
    }

    [Theory]
    [InlineData("disks/block-readonly-serial.xml", "block", "/var/lib/one/datastores/0/7/disk.1", "vdc", true, "abc&<1>")]
    [InlineData("disks/iotune-total-wins.xml", "file", "/var/lib/one/datastores/0/7/disk.1", "vdd", false, null)]
    public void Parse_DriverDiskFixtures_RoundTrip(string fixture, string type, string source, string target, bool readOnly, string? serial)
    {
        var disk = DomainDefinition.Parse(WrapDevice(fixture), fixture).Disks.ShouldHaveSingleItem();
        (disk.Type, disk.SourcePath, disk.TargetDev, disk.ReadOnly, disk.Serial).ShouldBe((type, source, target, readOnly, serial));
        if (fixture.Contains("iotune", StringComparison.Ordinal))
        {
            disk.IoTune.ShouldBe(new DomainIoTune
            {
                TotalBytesSec = 1000, TotalBytesSecMax = 2000, TotalBytesSecMaxLength = 10, WriteIopsSec = 300, SizeIopsSec = 4096,
            });
        }
    }

    [Fact]
    public void Parse_DriverInterfaceFixture_RoundTrips()
    {
        var nic = DomainDefinition.Parse(WrapDevice("interfaces/ovs-filter-ip-bandwidth.xml"), "nic").Interfaces.ShouldHaveSingleItem();
        (nic.Type, nic.SourceBridge, nic.VirtualPortType, nic.Mac, nic.TargetDev, nic.Model)
            .ShouldBe(("bridge", "ovsbr0", "openvswitch", "02:00:0a:00:00:03", "one-7-2", "e1000"));
        nic.FilterRef!.Filter.ShouldBe("clean-traffic");
        nic.FilterRef.Parameters.ShouldBe([KeyValuePair.Create("IP", "10.0.0.3"), KeyValuePair.Create("IP", "10.0.0.1")]);
    }

    [Fact]
    public void Parse_MinimalWildDomain_HasNothingOptional()
    {
        var d = DomainDefinition.Parse("<domain type='kvm'><name>w</name></domain>", "t");
        d.Uuid.ShouldBeNull();
        d.Id.ShouldBeNull();
        d.OneVm.ShouldBeNull();
        d.OneVmId.ShouldBeNull();
        d.Vcpus.ShouldBeNull();
        d.MemoryKiB.ShouldBeNull();
        d.CpuTune.ShouldBeNull();
        d.Os.ShouldBeNull();
        d.GuestAgentChannel.ShouldBeNull();
        d.Features.ShouldBeEmpty();
        d.Disks.ShouldBeEmpty();
        d.Interfaces.ShouldBeEmpty();
        d.Graphics.ShouldBeEmpty();
        d.HostDevices.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("<metadata><one:vm xmlns:one='urn:x'><one:name>n</one:name></one:vm></metadata>")]
    [InlineData("<metadata><vm><name>n</name></vm></metadata>")]
    public void Parse_MetadataInAnotherNamespace_IsNotOpenNebulas(string metadata) =>
        DomainDefinition.Parse($"<domain><name>w</name>{metadata}</domain>", "t").OneVm.ShouldBeNull();

    [Fact]
    public void Parse_EmptyOneVm_HasNullFields()
    {
        var one = DomainDefinition.Parse(
            "<domain><name>one-1</name><metadata><one:vm xmlns:one='http://opennebula.org/xmlns/libvirt/1.0'><one:system_datastore> </one:system_datastore><one:pci_devices/></one:vm></metadata></domain>",
            "t").OneVm!;
        one.ShouldBe(new OneVmMetadata { PciDevices = one.PciDevices });
        one.PciDevices.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("<uuid>c5f37ddaa65f4be19e1593bf111d69a1</uuid>", "c5f37dda-a65f-4be1-9e15-93bf111d69a1")]
    [InlineData("<uuid> c5f37dda-a65f-4be1-9e15-93bf111d69a1\n</uuid>", "c5f37dda-a65f-4be1-9e15-93bf111d69a1")]
    public void Parse_Uuid_IsCanonicalLowerCase(string element, string uuid) =>
        DomainDefinition.Parse($"<domain><name>a</name>{element}</domain>", "t").Uuid.ShouldBe(uuid);

    [Theory]
    [InlineData("<memory unit='MiB'>64</memory>", 65536UL)]
    [InlineData("<memory unit='G'>1</memory>", 1048576UL)]
    [InlineData("<memory unit='bytes'>2048</memory>", 2UL)]
    [InlineData("<memory unit='KB'>1024</memory>", 1000UL)]
    [InlineData("<memory unit='PB'>1</memory>", 976562500000UL)]
    [InlineData("<memory unit='EiB'>1</memory>", 1UL << 50)]
    [InlineData("<memory>512</memory>", 512UL)]
    [InlineData("<memory unit='KiB'> 512 </memory>", 512UL)]
    public void Parse_MemoryUnits_ConvertToKiB(string element, ulong kib) =>
        DomainDefinition.Parse($"<domain><name>a</name>{element}</domain>", "t").MemoryKiB.ShouldBe(kib);

    [Theory]
    [InlineData("<domain><uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid></domain>", "no <name>")]
    [InlineData("<domain><name> </name></domain>", "no <name>")]
    [InlineData("<network><name>a</name></network>", "root element is <network>, not <domain>")]
    [InlineData("<domstatus><domain><name>a</name></domain></domstatus>", "not <domain>")]
    [InlineData("<domain><name>a", "not well-formed XML at line 1, position 16")]
    [InlineData("", "not well-formed XML at line 0, position 0")]
    [InlineData("Id   Name   State\n 1 one-1 running", "not well-formed XML at line 1, position 1")]
    [InlineData("error: failed to get domain 'one-1'", "not well-formed XML")]
    [InlineData("<domain><name>a</name></domain><domain/>", "not well-formed XML at line 1")]
    [InlineData("<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><domain><name>&x;</name></domain>", "not well-formed XML")]
    [InlineData("<domain><name>a</name><uuid>not-a-uuid</uuid></domain>", "<uuid> 'not-a-uuid' is not a UUID")]
    public void Parse_NotADomainXml_IsAFormatErrorNamingTheSource(string xml, string mention)
    {
        var e = Should.Throw<FormatException>(() => DomainDefinition.Parse(xml, "domain one-1 (6695eb01)"));
        e.Message.ShouldStartWith("domain one-1 (6695eb01): ");
        e.Message.ShouldContain(mention);
    }

    [Theory]
    [InlineData("<vcpu>4294967296</vcpu>", "line 3: <vcpu> '4294967296' is not a number in 0..4294967295")]
    [InlineData("<vcpu>-1</vcpu>", "<vcpu> '-1' is not a number in 0..4294967295")]
    [InlineData("<vcpu></vcpu>", "<vcpu> is empty")]
    [InlineData("<vcpu current='4294967296'>2</vcpu>", "<vcpu current=…> '4294967296' is not a number")]
    [InlineData("<vcpu current='3'>2</vcpu>", "<vcpu current='3'> exceeds the maximum 2")]
    [InlineData("<memory>18446744073709551616</memory>", "<memory> '18446744073709551616' is not a number in 0..18446744073709551615")]
    [InlineData("<memory unit='EiB'>16</memory>", "<memory> 16 EiB is beyond 2^64 bytes")]
    [InlineData("<currentMemory unit='TiB'>18446744073709551615</currentMemory>", "<currentMemory> 18446744073709551615 TiB is beyond 2^64 bytes")]
    [InlineData("<maxMemory unit='parsecs'>1</maxMemory>", "<maxMemory> has an unknown unit 'parsecs'")]
    [InlineData("<memory>1.5</memory>", "<memory> '1.5' is not a number")]
    [InlineData("<memory>1e3</memory>", "<memory> '1e3' is not a number")]
    [InlineData("<memory>-5</memory>", "<memory> '-5' is not a number")]
    [InlineData("<cputune><shares>-2</shares></cputune>", "<cputune><shares> '-2' is not a number in 0..18446744073709551615")]
    [InlineData("<cputune><quota>9223372036854775808</quota></cputune>", "<cputune><quota> '9223372036854775808' is not a number in -9223372036854775808..9223372036854775807")]
    [InlineData("<cputune><vcpupin vcpu='x' cpuset='1'/></cputune>", "<cputune><vcpupin vcpu=…> 'x' is not a number")]
    [InlineData("<devices><graphics type='vnc' port='99999999999'/></devices>", "<devices><graphics port=…> '99999999999' is not a number in -2147483648..2147483647")]
    [InlineData("<devices><disk><source protocol='rbd'><host name='m' port='65536'/></source></disk></devices>", "<source><host port=…> '65536' is not a number in 0..65535")]
    [InlineData("<devices><hostdev type='pci'><source><address bus='0x100' slot='0' function='0'/></source></hostdev></devices>", "PCI address bus='0x100' is not a number in 0..0xff")]
    [InlineData("<devices><hostdev type='pci'><source><address bus='0' slot='0x20' function='0'/></source></hostdev></devices>", "PCI address slot='0x20' is not a number in 0..0x1f")]
    [InlineData("<metadata><one:vm xmlns:one='http://opennebula.org/xmlns/libvirt/1.0'><one:uid>2147483648</one:uid></one:vm></metadata>", "<one:vm><one:uid> '2147483648' is not a number in -2147483648..2147483647")]
    [InlineData("<metadata><one:vm xmlns:one='http://opennebula.org/xmlns/libvirt/1.0'><one:stime>soon</one:stime></one:vm></metadata>", "<one:vm><one:stime> 'soon' is not a number")]
    [InlineData("<metadata><one:vm xmlns:one='http://opennebula.org/xmlns/libvirt/1.0'><one:pci_devices>10de:2236</one:pci_devices></one:vm></metadata>", "<one:pci_devices> entry '10de:2236' is not vendor:device:class")]
    public void Parse_ValueBeyondItsType_IsAFormatErrorNamingTheElement(string element, string mention)
    {
        var e = Should.Throw<FormatException>(() => DomainDefinition.Parse($"<domain>\n<name>one-1</name>\n{element}\n</domain>", "domain one-1"));
        e.Message.ShouldStartWith("domain one-1: line ");
        e.Message.ShouldContain(mention);
    }

    private static string WrapDevice(string fixture) =>
        $"<domain><name>one-7</name><devices>{File.ReadAllText(Path.Join(TestPaths.Fixtures, "domains", fixture))}</devices></domain>";
}
