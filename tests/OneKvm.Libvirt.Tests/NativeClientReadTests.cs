using System.Globalization;
using System.Xml.Linq;
using OneKvm.Tests;

namespace OneKvm.Libvirt.Tests;

/// <summary>The native client against the real qemu:///system, with <c>virsh</c> as the oracle.</summary>
[Collection(LibvirtGroup.Name)]
[Trait(TestTraits.Category, TestTraits.RealHost)]
public sealed class NativeClientReadTests(RealDomainsFixture domains) : IClassFixture<RealDomainsFixture>, IAsyncDisposable
{
    private readonly NativeLibvirtClient _client = new(new LibvirtClientOptions { Uri = TestDomain.Uri });

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    [Fact]
    public async Task GetAllDomainStats_RunningDomains_MatchVirshDomstatsFieldByField()
    {
        var names = new[] { domains.Full.Name, domains.Bare.Name };
        var before = VirshDomstats.Read(names);
        var records = await _client.GetAllDomainStatsAsync(DomainStatsGroups.Used, CancellationToken.None);
        var after = VirshDomstats.Read(names);

        foreach (var domain in new[] { domains.Full, domains.Bare })
        {
            var record = records.Single(r => r.Name == domain.Name);
            record.Uuid.ShouldBe(domain.Uuid);
            record.Id.ShouldNotBeNull();
            record.Warnings.ShouldBeEmpty();
            var native = VirshDomstats.Flatten(record.Stats);
            var mapped = before[domain.Name].Keys.Where(VirshDomstats.Mapped).Order(StringComparer.Ordinal).ToList();
            native.Keys.Order(StringComparer.Ordinal).ToList().ShouldBe(mapped, customMessage: $"{domain.Name}: keys differ from virsh domstats");
            foreach (var key in mapped)
            {
                var got = native[key];
                var was = before[domain.Name][key];
                var now = after[domain.Name][key];
                if (VirshDomstats.IsCounter(key))
                {
                    var (lo, hi) = (ulong.Parse(was, CultureInfo.InvariantCulture), ulong.Parse(now, CultureInfo.InvariantCulture));
                    var value = ulong.Parse(got, CultureInfo.InvariantCulture);
                    value.ShouldBeInRange(Math.Min(lo, hi), Math.Max(lo, hi), $"{domain.Name} {key}");
                }
                else if (VirshDomstats.IsMovingGauge(key))
                {
                    // A gauge (RSS) moves both ways: it may peak between the two virsh reads, so allow 5 % (at least 1024) around them.
                    var (lo, hi) = (ulong.Parse(was, CultureInfo.InvariantCulture), ulong.Parse(now, CultureInfo.InvariantCulture));
                    var slack = Math.Max(1024UL, Math.Max(lo, hi) / 20);
                    var value = ulong.Parse(got, CultureInfo.InvariantCulture);
                    value.ShouldBeInRange(Math.Min(lo, hi) - Math.Min(Math.Min(lo, hi), slack), Math.Max(lo, hi) + slack, $"{domain.Name} {key}");
                }
                else
                {
                    was.ShouldBe(now, $"{domain.Name} {key} changed between the two virsh reads");
                    got.ShouldBe(was, $"{domain.Name} {key}");
                }
            }
        }
        var full = records.Single(r => r.Name == domains.Full.Name).Stats;
        full.Blocks!.Select(b => b.Name).ShouldBe(["vda", "vdb"]);
        full.Nets!.Single().Name.ShouldBe("one-8000-0");
        full.Vcpu!.Vcpus.Count.ShouldBe(2);
    }

    [Fact]
    public async Task ListDomains_RunningDomains_IdentityAndStateAsVirshSays()
    {
        var list = await _client.ListDomainsAsync(includeInactive: false, CancellationToken.None);
        foreach (var domain in new[] { domains.Full, domains.Bare })
        {
            var info = list.Single(d => d.Name == domain.Name);
            info.Uuid.ShouldBe(domain.Uuid);
            info.State.ShouldBe(1);
            var id = TestDomain.Virsh("domid", domain.Name).Stdout.Trim();
            info.Id.ShouldBe(int.Parse(id, CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task ListDomains_IncludeInactive_ShowsADefinedStoppedDomain()
    {
        using var stopped = TestDomain.Start(new TestDomainSpec { Name = "one-8001" });
        stopped.Destroy();
        var active = await _client.ListDomainsAsync(includeInactive: false, CancellationToken.None);
        var all = await _client.ListDomainsAsync(includeInactive: true, CancellationToken.None);
        active.ShouldNotContain(d => d.Uuid == stopped.Uuid);
        var info = all.Single(d => d.Uuid == stopped.Uuid);
        info.Id.ShouldBeNull();
        info.State.ShouldBe(5);
    }

    [Fact]
    public async Task GetDomainXml_ByUuid_IsTheLiveXmlVirshDumps()
    {
        var xml = await _client.GetDomainXmlAsync(domains.Full.Uuid, CancellationToken.None);
        // virsh prints the document and a newline of its own.
        (xml + "\n").ShouldBe(TestDomain.Virsh("dumpxml", domains.Full.Name).Stdout);
        XDocument.Parse(xml).Root!.Element("uuid")!.Value.ShouldBe(domains.Full.Uuid);
    }

    [Fact]
    public async Task GetDomainXml_UnknownUuid_FailsWithNoDomain()
    {
        var e = await Should.ThrowAsync<LibvirtException>(() => _client.GetDomainXmlAsync(Guid.NewGuid().ToString(), CancellationToken.None));
        e.NoDomain.ShouldBeTrue();
        e.Message.ShouldStartWith($"libvirt virDomainLookupByUUIDString on {TestDomain.Uri}: ");
        e.Unreachable.ShouldBeFalse();
    }

    [Fact]
    public async Task HostDocuments_CapabilitiesDomainCapabilitiesBaseline_AreXml()
    {
        var caps = XDocument.Parse(await _client.GetCapabilitiesAsync(CancellationToken.None));
        caps.Root!.Name.LocalName.ShouldBe("capabilities");
        var hostCpu = caps.Root.Element("host")!.Element("cpu")!;
        var domcaps = XDocument.Parse(await _client.GetDomainCapabilitiesAsync(null, null, null, "qemu", CancellationToken.None));
        domcaps.Root!.Name.LocalName.ShouldBe("domainCapabilities");
        domcaps.Root.Element("domain")!.Value.ShouldBe("qemu");
        var baseline = XDocument.Parse(await _client.BaselineCpuAsync([hostCpu.ToString()], expandFeatures: false, CancellationToken.None));
        baseline.Root!.Name.LocalName.ShouldBe("cpu");
        baseline.Root.Element("model").ShouldNotBeNull();
        _client.IsReadOnly.ShouldBe(false);
    }

    [Fact]
    public async Task GetVersion_DaemonAndLibrary_AsVirshVersion()
    {
        var version = await _client.GetVersionAsync(CancellationToken.None);
        var text = TestDomain.Virsh("version", "--daemon").Stdout;
        text.ShouldContain($"Using library: libvirt {version.Library}");
        text.ShouldContain($"Running against daemon: {version.Daemon}");
    }

    [Fact]
    public async Task SetCpuShares_RunningDomain_VirshSchedinfoShowsIt()
    {
        await _client.SetCpuSharesAsync(domains.Bare.Uuid, 777, persistent: true, CancellationToken.None);
        TestDomain.Virsh("schedinfo", domains.Bare.Name).Stdout.ShouldContain("cpu_shares     : 777");
        TestDomain.Virsh("dumpxml", "--inactive", domains.Bare.Name).Stdout.ShouldContain("<shares>777</shares>");
    }

    [Fact]
    public async Task ReadOnlyConnection_DomainCapabilitiesAndShares_FailWithLibvirtsMessage()
    {
        await using var ro = new NativeLibvirtClient(new LibvirtClientOptions { Uri = TestDomain.Uri, ReadOnly = true });
        (await ro.ListDomainsAsync(false, CancellationToken.None)).ShouldContain(d => d.Uuid == domains.Bare.Uuid);
        ro.IsReadOnly.ShouldBe(true);
        var e = await Should.ThrowAsync<LibvirtException>(() => ro.GetDomainCapabilitiesAsync(null, null, null, null, CancellationToken.None));
        e.Message.ShouldBe($"libvirt virConnectGetDomainCapabilities on {TestDomain.Uri}: operation forbidden: read only access prevents virConnectGetDomainCapabilities");
        e.Unreachable.ShouldBeFalse();
        var s = await Should.ThrowAsync<LibvirtException>(() => ro.SetCpuSharesAsync(domains.Bare.Uuid, 500, false, CancellationToken.None));
        s.Message.ShouldContain("read only access prevents virDomainSetSchedulerParametersFlags");
    }
}
