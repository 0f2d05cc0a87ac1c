using OneKvm.Cgroups;
using OneKvm.Probes.Host.Pci;
using OneKvm.Probes.OpenNebula;

namespace OneKvm.Probes.Tests.Host.Pci;

public sealed class PciTests : IDisposable
{
    private const string Ids = """
        # sample of pci.ids
        8086  Intel Corporation
        	1533  I210 Gigabit Network Connection
        		8086 0001  I210 Gigabit Network Connection
        	1520  I350 Ethernet Controller Virtual Function
        10de  NVIDIA Corporation
        	1db4  GV100GL [Tesla V100 PCIe 16GB]
        C 02  Network controller
        	00  Ethernet controller
        C 03  Display controller
        	02  3D controller
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("onekvm-pci-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Device(string address, string vendor, string device, string @class, int numa = -1, string? ifname = null, int numvfs = -1, bool vf = false)
    {
        var dir = Path.Join(_root, "sys", "bus", "pci", "devices", address);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Join(dir, "vendor"), $"0x{vendor}\n");
        File.WriteAllText(Path.Join(dir, "device"), $"0x{device}\n");
        File.WriteAllText(Path.Join(dir, "class"), $"0x{@class}\n");
        File.WriteAllText(Path.Join(dir, "numa_node"), $"{numa}\n");
        if (ifname is not null) Directory.CreateDirectory(Path.Join(dir, "net", ifname));
        if (numvfs >= 0)
        {
            File.WriteAllText(Path.Join(dir, "sriov_totalvfs"), "8\n");
            File.WriteAllText(Path.Join(dir, "sriov_numvfs"), $"{numvfs}\n");
        }
        if (vf) Directory.CreateDirectory(Path.Join(dir, "physfn"));
    }

    private IReadOnlyList<PciDevice> Read() => PciDeviceReader.Read(HostPaths.UnderRoot(_root), PciIdsDatabase.Parse(Ids));

    [Fact]
    public void Reads_ids_names_numa_and_interfaces_from_sysfs()
    {
        Device("0000:03:00.0", "8086", "1533", "020000", numa: 0, ifname: "enp3s0");
        var device = Read().ShouldHaveSingleItem();
        device.ShouldBe(new PciDevice
        {
            Address = "0000:03:00.0", Vendor = "8086", Device = "1533", Class = "0200",
            VendorName = "Intel Corporation", DeviceName = "I210 Gigabit Network Connection", ClassName = "Ethernet controller",
            NumaNode = 0, InterfaceNames = device.InterfaceNames,
        });
        device.InterfaceNames.ShouldBe(["enp3s0"]);
        (device.ShortAddress, device.Bus, device.Slot, device.Function).ShouldBe(("03:00.0", "03", "00", "0"));
    }

    [Fact]
    public void Upstreams_default_filter_reports_nothing()
    {
        Device("0000:03:00.0", "8086", "1533", "020000");
        PciTemplate.Render(Read(), PciFilter.Default).ShouldBeEmpty();
    }

    [Fact]
    public void Renders_upstreams_vector_layout()
    {
        Device("0000:03:00.0", "8086", "1533", "020000", numa: 0, ifname: "enp3s0");
        var filter = new PciFilter(["8086:*"], [], []);
        PciTemplate.Render(Read(), filter).ShouldBe("""
            PCI = [
             TYPE = "8086:1533:0200" ,
             VENDOR = "8086" ,
             VENDOR_NAME = "Intel Corporation" ,
             DEVICE = "1533" ,
             CLASS = "0200" ,
             CLASS_NAME = "Ethernet controller" ,
             ADDRESS = "0000:03:00.0" ,
             SHORT_ADDRESS = "03:00.0" ,
             DOMAIN = "0000" ,
             BUS = "03" ,
             SLOT = "00" ,
             FUNCTION = "0" ,
             NUMA_NODE = "0" ,
             IFNAME = "enp3s0" ,
             SRIOV = "no" ,
             SRIOV_NUM = "0" ,
             DEVICE_NAME = "I210 Gigabit Network Connection" 
            ]

            """);
    }

    [Fact]
    public void Filters_as_lspci_d_then_address_then_name()
    {
        Device("0000:03:00.0", "8086", "1533", "020000");
        Device("0000:04:00.0", "8086", "1533", "020000");
        Device("0000:05:00.0", "10de", "1db4", "030200", numa: 1);
        var devices = Read();
        string[] Offered(PciFilter f) => [.. devices.Where(f.Includes).Select(d => d.ShortAddress)];
        Offered(new PciFilter(["*:*"], [], [])).ShouldBe(["03:00.0", "04:00.0", "05:00.0"]);
        Offered(new PciFilter(["10de:*"], [], [])).ShouldBe(["05:00.0"]);
        Offered(new PciFilter(["::0302"], [], [])).ShouldBe(["05:00.0"]);
        Offered(new PciFilter(["8086:1533,10de:1db4"], ["04:00.0", "05:00.0"], [])).ShouldBe(["04:00.0", "05:00.0"]);
        Offered(new PciFilter(["*:*"], [], ["tesla"])).ShouldBe(["05:00.0"]);
        PciTemplate.Render(devices, new PciFilter(["10de:*"], [], [])).ShouldContain("DEVICE_NAME = \"NVIDIA Corporation GV100GL [Tesla V100 PCIe 16GB]\"");
    }

    [Fact]
    public void An_sriov_physical_function_with_vfs_is_not_offered_its_vfs_are()
    {
        Device("0000:06:00.0", "8086", "1533", "020000", numvfs: 2);
        Device("0000:06:10.0", "8086", "1520", "020000", vf: true);
        var text = PciTemplate.Render(Read(), new PciFilter(["*:*"], [], []));
        text.ShouldNotContain("06:00.0");
        text.ShouldContain("SHORT_ADDRESS = \"06:10.0\"");
        text.ShouldContain("SRIOV = \"vf\"");
    }

    [Fact]
    public void Reads_pci_conf_with_ruby_symbol_keys()
    {
        var conf = ProbeConfFile.Parse("""
            :filter:
              - '10de:*'
              - '8086::0c03'
            :short_address:
              - '07:00.0'
            :device_name: []
            """, "pci.conf");
        Device("0000:07:00.0", "10de", "1db4", "030200");
        Device("0000:08:00.0", "10de", "1db4", "030200");
        Read().Where(PciFilter.From(conf).Includes).Select(d => d.ShortAddress).ShouldBe(["07:00.0"]);
    }

    [Theory]
    [InlineData(":filter: '10de'\n", "pci.conf: :filter: '10de' is not [vendor]:[device][:class]")]
    [InlineData(":filter: 'xyz:1'\n", "pci.conf: :filter: 'xyz:1': 'xyz' is not a hex id")]
    [InlineData(":filter: '*:*'\n:device_name: ['(']\n", "pci.conf: :device_name: '(' is not a valid regular expression")]
    public void Bad_pci_conf_is_a_clear_error(string text, string message)
    {
        var e = Should.Throw<FormatException>(() => PciFilter.From(ProbeConfFile.Parse(text, "pci.conf")));
        e.Message.ShouldStartWith(message);
    }

    [Fact]
    public void A_malformed_id_names_the_file()
    {
        Device("0000:09:00.0", "80x6", "1533", "020000");
        var e = Should.Throw<KernelFileException>(Read);
        e.Message.ShouldContain("0000:09:00.0/vendor");
    }
}
