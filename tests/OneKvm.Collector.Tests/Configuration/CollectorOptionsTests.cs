using OneKvm.Collector.Commands;
using OneKvm.Collector.Configuration;
using OneKvm.Probes;

namespace OneKvm.Collector.Tests.Configuration;

public sealed class CollectorOptionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-options-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private OneKvmOptions Load(params string[] args)
    {
        var kvmrc = Path.Join(_dir, "kvmrc");
        File.WriteAllText(kvmrc, "");
        return ConfigurationLoader.Load(CommandLineArgs.Parse(["serve", "--kvmrc", kvmrc, .. args]), new Dictionary<string, string?>());
    }

    [Fact]
    public void Load_Defaults_ServeAndAgentSettings()
    {
        var options = Load();

        options.Serve.IntervalSeconds.ShouldBe(15);
        options.Serve.Intervals.ShouldBe(new Dictionary<string, double> { ["system_host"] = 300 });
        options.Serve.ExcludeCategories.ShouldBe(["state_vm", "monitor_vm", "poll", "exec_vm", "snapshot_vm"]);
        options.Agent.ResolvedMonitordConfPath.ShouldBe("/var/tmp/one_db/etc/monitord.conf");
    }

    [Fact]
    public void Load_CommandLine_OverridesServeAndAgentSettings()
    {
        var options = Load("--listen", "[::1]:19926", "--Serve:Intervals:monitor_vm=30", "--Serve:IntervalSeconds=5",
            "--Serve:OpenNebulaLibvirtMetrics=false", "--Agent:DbDirectory=/run/one_db");

        options.Serve.Listen.ShouldBe("[::1]:19926");
        options.Serve.Intervals.ShouldBe(new Dictionary<string, double> { ["system_host"] = 300, ["monitor_vm"] = 30 }, ignoreOrder: true);
        options.Serve.OpenNebulaLibvirtMetrics.ShouldBeFalse();
        options.Agent.ResolvedMonitordConfPath.ShouldBe("/run/one_db/etc/monitord.conf");

        var libvirt = new OneKvm.Libvirt.Replay.ReplayLibvirtClient(new OneKvm.Libvirt.Replay.LibvirtRecording());
        var context = OneKvm.Collector.Commands.ContextFactory.Create(options, libvirt, TimeSpan.Zero);
        var expected = CategoryCatalog.All.Where(c => c.Name is not ("state_vm" or "monitor_vm" or "poll" or "exec_vm" or "snapshot_vm"))
            .Select(c => (c.Name, c.Name == "system_host" ? 300.0 : 5.0))
            .Prepend(("libvirt", 5.0))
            .Append(("vm_stats", 5.0));
        ServeCommand.Sources(options.Serve, context).Probes.Select(p => (p.Name, p.Period.TotalSeconds)).ShouldBe(expected);
    }
}
