using System.Diagnostics;
using OneKvm.Probes.Vm;
using OneKvm.Tests;

namespace OneKvm.Probes.Tests.RealHost;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LibvirtdOutageGroup
{
    public const string Name = "libvirtd outage";
}

/// <summary>Stops the shared libvirtd for a few seconds; runs alone in this assembly and always restarts it.</summary>
[Trait(TestTraits.Category, TestTraits.RealHost)]
[Collection(LibvirtdOutageGroup.Name)]
public sealed class LibvirtdOutageTests : IDisposable
{
    private readonly string _state = RealVm.TempDir();

    public void Dispose() => Directory.Delete(_state, true);

    [Fact]
    public async Task VmCategories_LibvirtdKilled_FailWithUriNoPoweroffThenRecover()
    {
        using var vm = TestDomain.Start(new TestDomainSpec { Name = "one-9130" });
        var context = RealVm.Context(_state, timesMissing: 0);
        var state = new StateVmCategory();
        var monitor = new MonitorVmCategory();
        (await state.RenderAsync(context, CancellationToken.None)).ShouldContain("STATE=\"RUNNING\"");
        var remembered = File.ReadAllText(Path.Join(_state, StateVmCategory.StateFileName));

        try
        {
            LibvirtDaemon.Stop();
            foreach (ICategory category in new ICategory[] { state, monitor, state })
            {
                var e = await Should.ThrowAsync<ProbeException>(() => category.RenderAsync(context, CancellationToken.None));
                e.Message.ShouldStartWith(VmInventory.ListFailure);
                e.Message.ShouldContain("qemu:///system");
                e.Message.ShouldNotContain("POWEROFF");
            }
            File.ReadAllText(Path.Join(_state, StateVmCategory.StateFileName)).ShouldBe(remembered);
        }
        finally
        {
            LibvirtDaemon.Start();
        }

        // The client reconnects on its own back-off (a call in between fails at once, as the next tick
        // would): wait for it, bounded. The QEMU process survived the outage; with times_missing 0 a
        // single miss would already say POWEROFF.
        string? back = null;
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); back is null; await Task.Delay(250))
        {
            try
            {
                back = await state.RenderAsync(context, CancellationToken.None);
            }
            catch (ProbeException) when (waited.Elapsed < TimeSpan.FromSeconds(40))
            {
                // not reconnected yet
            }
        }
        back.ShouldNotContain("STATE=\"POWEROFF\"");
        (await monitor.RenderAsync(context, CancellationToken.None)).ShouldContain(vm.Uuid);
    }
}
