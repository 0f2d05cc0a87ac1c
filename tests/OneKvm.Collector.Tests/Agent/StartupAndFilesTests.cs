using System.Text;
using OneKvm.Collector.Agent;
using OneKvm.Collector.Pipeline;
using OneKvm.Probes;
using OneKvm.Probes.Host;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Agent;

public sealed class StartupAndFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-agent-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void StartupDocument_Categories_PlainBase64InOrderThenTimestamp()
    {
        var document = StartupDocument.Render(
            [("SYSTEM_HOST", "HYPERVISOR=kvm\n", null), ("STATE_VM", "", null), ("MONITOR_VM", "VM = [ ID=\"1\" ]\n", null)], 1724150000);

        document.ShouldBe(
            $"<MONITOR_MESSAGES><SYSTEM_HOST>{B64("HYPERVISOR=kvm\n")}</SYSTEM_HOST>\n<STATE_VM></STATE_VM>\n" +
            $"<MONITOR_VM>{B64("VM = [ ID=\"1\" ]\n")}</MONITOR_VM>\n<TIMESTAMP>1724150000</TIMESTAMP></MONITOR_MESSAGES>\n");
    }

    [Fact]
    public void StartupDocument_FailedCategory_EndsWithTheRawErrorAndNoTimestamp()
    {
        var document = StartupDocument.Render(
            [("SYSTEM_HOST", "A=1\n", null), ("MONITOR_HOST", null, "Error executing monitor_host: <bad> & worse"), ("STATE_VM", "x", null)], 5);

        document.ShouldBe($"<MONITOR_MESSAGES><SYSTEM_HOST>{B64("A=1\n")}</SYSTEM_HOST>\n" +
                          "<MONITOR_HOST>Error executing monitor_host: &lt;bad&gt; &amp; worse</MONITOR_HOST>\n");
    }

    [Fact]
    public void MonitordConf_ShippedConfiguration_MatchesGoldenAndIsWrittenAtomically()
    {
        var configuration = MonitorConfiguration.Parse(MonitorConfigurationTests.Shipped) with { PublicKeyPem = "-----BEGIN RSA PUBLIC KEY-----\nAB\"CD\n-----END RSA PUBLIC KEY-----\n" };
        var text = MonitordConf.Render(configuration, "192.0.2.10");
        var path = Path.Join(_dir, "etc", "monitord.conf");

        MonitordConf.WriteAtomic(path, "old");
        MonitordConf.WriteAtomic(path, text);

        GoldenFile.Check("agent/monitord.conf", text);
        File.ReadAllText(path).ShouldBe(text);
        Directory.GetFiles(Path.Join(_dir, "etc")).ShouldBe([path]);
    }

    [Fact]
    public async Task Messages_FailedPartialOrEmptySnapshots_FailureTextThePartOrNothing()
    {
        var warnings = new List<string>();
        var context = OneKvm.Collector.Commands.ContextFactory.Create(new OneKvm.Collector.Configuration.OneKvmOptions(), new OneKvm.Libvirt.Replay.ReplayLibvirtClient(new OneKvm.Libvirt.Replay.LibvirtRecording()), TimeSpan.Zero)
            with { Warn = warnings.Add };
        var runner = new AgentRunner(System.Reactive.Concurrency.ImmediateScheduler.Instance, TimeProvider.System, context,
            new MessageComposer(4, null), link: null!, TextWriter.Null);
        var beacon = new BeaconHostCategory();
        var at = DateTimeOffset.FromUnixTimeSeconds(1724150000);

        var failed = runner.Messages(beacon, ProbeSnapshot.Failed<CategoryPayload>("beacon_host", at, "clock unreadable", TimeSpan.Zero)).Single();
        var partial = new PartialCategory();
        var part = runner.Messages(partial, ProbeSnapshot.Ok("partial", at, await CategorySources.CollectAsync(partial, context, CancellationToken.None), TimeSpan.Zero)).Single();
        var empty = new EmptyCategory();
        var nothing = runner.Messages(empty, ProbeSnapshot.Ok("empty", at, await CategorySources.CollectAsync(empty, context, CancellationToken.None), TimeSpan.Zero));

        Support.MonitordDecoder.Decode(failed.Frame, "udp", null).ShouldBe(
            new Support.DecodedMessage("BEACON_HOST", "FAILURE", 4, 1724150000, "Error executing beacon_host: clock unreadable", "udp", failed.Frame.Length));
        var decoded = Support.MonitordDecoder.Decode(part.Frame, "udp", null);
        (decoded.Status, decoded.Text).ShouldBe(("SUCCESS", "HYPERVISOR=kvm\n"));
        warnings.ShouldBe(["partial: incomplete: KVM_* (libvirt down)"]);
        nothing.ShouldBeEmpty();
    }

    private sealed class PartialCategory : ICategory
    {
        public string Name => "partial";

        public string MessageType => "SYSTEM_HOST";

        public Task<string> RenderAsync(ProbeContext context, CancellationToken cancellationToken) =>
            throw new PartialCategoryException("HYPERVISOR=kvm\n", "KVM_* (libvirt down)");
    }

    private sealed class EmptyCategory : ICategory
    {
        public string Name => "empty";

        public string MessageType => "MONITOR_HOST";

        public Task<string> RenderAsync(ProbeContext context, CancellationToken cancellationToken) => Task.FromResult("  \n");
    }
}
