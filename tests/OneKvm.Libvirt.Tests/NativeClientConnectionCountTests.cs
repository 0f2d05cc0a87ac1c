using System.Diagnostics;
using OneKvm.Tests;

namespace OneKvm.Libvirt.Tests;

/// <summary>One client holds exactly one libvirtd connection, however many calls run (counted by <c>virt-admin</c>).</summary>
[Collection(LibvirtGroup.Name)]
[Trait(TestTraits.Category, TestTraits.RealHost)]
public sealed class NativeClientConnectionCountTests
{
    [Fact]
    public async Task ManyConcurrentCalls_OneConnectionOfThisProcess_GoneAfterDispose()
    {
        var before = ConnectionsOfThisProcess();
        var client = new NativeLibvirtClient(new LibvirtClientOptions { Uri = TestDomain.Uri });
        try
        {
            ConnectionsOfThisProcess().ShouldBe(before, "the constructor must not connect");
            var calls = Enumerable.Range(0, 12).Select(i => (i % 3) switch
            {
                0 => (Task)client.GetAllDomainStatsAsync(DomainStatsGroups.Used, CancellationToken.None),
                1 => client.ListDomainsAsync(true, CancellationToken.None),
                // Not capabilities: libvirtd 9.0 rebuilds them per call, seconds each on this host.
                _ => client.GetVersionAsync(CancellationToken.None),
            });
            await Task.WhenAll(calls);
            await client.GetVersionAsync(CancellationToken.None);
            var during = ConnectionsOfThisProcess();
            during.Count.ShouldBe(before.Count + 1);
            during.Except(before).Single().ReadOnly.ShouldBeFalse();
            // Close callback; lifecycle, metadata-change, device added/removed/removal-failed and
            // tunable events: each with its free function.
            client.CallbacksHeld.ShouldBe(7);
        }
        finally
        {
            await client.DisposeAsync();
        }
        var clock = Stopwatch.StartNew();
        while (ConnectionsOfThisProcess().Count > before.Count && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(100);
        ConnectionsOfThisProcess().Count.ShouldBe(before.Count);
        // Deregistered before the close: libvirt has released every callback (their free functions ran).
        while (client.CallbacksHeld > 0 && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(100);
        client.CallbacksHeld.ShouldBe(0);
    }

    private static List<VirtAdmin.Client> ConnectionsOfThisProcess() => VirtAdmin.ClientsOf(Environment.ProcessId);
}
