using OneKvm.Cgroups;
using OneKvm.Probes.Host.Kernel;
using OneKvm.Tests;

namespace OneKvm.Probes.Tests.Host.Kernel;

public sealed class NumaReaderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("onekvm-numa-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Read_Fixture_GivesNodeMemoryHugepagesAndCores()
    {
        var node = NumaReader.Read(HostPaths.UnderRoot(TestPaths.Host("debian12-1node"))).ShouldHaveSingleItem();
        node.Id.ShouldBe(0);
        node.MemTotalKib.ShouldBe(5335244UL);
        node.HugePages.ShouldBe([new HugePagePool(2048, 512, 500), new HugePagePool(1048576, 0, 0)]);
        node.Cores.Select(c => (c.CoreId, string.Join(',', c.Cpus))).ShouldBe([(0, "0"), (1, "1")]);
        node.NodesByDistance.ShouldBe([0]);
    }

    [Fact]
    public void Read_TwoNodesWithSmtAndEqualDistances_KeepsEveryNodeAndGroupsSiblings()
    {
        // Synthetic: 3 nodes, two at the same distance (upstream's hash collapsed them into one).
        Node(0, "10 21 21", cpus: [(0, 0, "0,2"), (2, 0, "0,2"), (1, 1, "1,3"), (3, 1, "1,3")]);
        Node(1, "21 10 31", cpus: [(4, 0, "4-5"), (5, 0, "4-5")]);
        Node(2, "21 31 10", cpus: []);
        var nodes = NumaReader.Read(HostPaths.UnderRoot(_root));
        nodes.Select(n => n.Id).ShouldBe([0, 1, 2]);
        nodes[0].NodesByDistance.ShouldBe([0, 1, 2]);
        nodes[1].NodesByDistance.ShouldBe([1, 0, 2]);
        nodes[2].NodesByDistance.ShouldBe([2, 0, 1]);
        nodes[0].Cores.Select(c => (c.CoreId, string.Join(',', c.Cpus))).ShouldBe([(0, "0,2"), (1, "1,3")]);
        nodes[1].Cores.ShouldHaveSingleItem().Cpus.ShouldBe([4, 5]);
        nodes[2].MemFreeKib.ShouldBe(100UL);
    }

    [Fact]
    public void Read_NoNodeDirectory_GivesNoNodes()
    {
        NumaReader.Read(HostPaths.UnderRoot(_root)).ShouldBeEmpty();
    }

    [Fact]
    public void Read_BadDistance_NamesFile()
    {
        Node(0, "10 x", cpus: []);
        Should.Throw<FormatException>(() => NumaReader.Read(HostPaths.UnderRoot(_root))).Message.ShouldContain("node0/distance");
    }

    private void Node(int id, string distance, (int Cpu, int Core, string Siblings)[] cpus)
    {
        var dir = Path.Join(_root, "sys", "devices", "system", "node", $"node{id}");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Join(dir, "distance"), distance + "\n");
        File.WriteAllText(Path.Join(dir, "meminfo"), $"Node {id} MemTotal: 1000 kB\nNode {id} MemFree: 100 kB\nNode {id} MemUsed: 900 kB\n");
        foreach (var (cpu, core, siblings) in cpus)
        {
            var topology = Path.Join(dir, $"cpu{cpu}", "topology");
            Directory.CreateDirectory(topology);
            File.WriteAllText(Path.Join(topology, "core_id"), $"{core}\n");
            File.WriteAllText(Path.Join(topology, "thread_siblings_list"), siblings + "\n");
        }
    }
}
