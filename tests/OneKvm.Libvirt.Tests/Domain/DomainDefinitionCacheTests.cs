using System.Collections.Concurrent;
using System.Reactive.Subjects;
using OneKvm.Libvirt.Domain;
using OneKvm.Libvirt.Stats;

namespace OneKvm.Libvirt.Tests.Domain;

public sealed class DomainDefinitionCacheTests
{
    private const string A = "c5f37dda-a65f-4be1-9e15-93bf111d69a1";
    private const string B = "6695eb01-f6a4-8304-79aa-97f2502e193f";

    private static string Xml(string name, string uuid, string title = "") =>
        $"<domain type='qemu'><name>{name}</name><uuid>{uuid}</uuid><title>{title}</title></domain>";

    [Fact]
    public async Task GetAsync_FetchesOncePerDomainLife()
    {
        using var client = new XmlClient { [A] = Xml("one-1", A), [B] = Xml("wild", B) };
        using var cache = new DomainDefinitionCache(client);

        (await cache.GetAsync(A, default)).Name.ShouldBe("one-1");
        (await cache.GetAsync(A.ToUpperInvariant(), default)).Name.ShouldBe("one-1");
        (await cache.GetAsync(B, default)).Name.ShouldBe("wild");
        client.Suspend(A); // suspend, resume and a guest's shutdown do not change the XML
        client.Resume(A);
        client.Raise(A, DomainEventKind.Shutdown);
        (await cache.GetAsync(A, default)).Name.ShouldBe("one-1");

        client.Calls.ShouldBe([A, B]);
        cache.Fetches.ShouldBe(2);
    }

    [Theory]
    [InlineData(DomainEventKind.Defined)]
    [InlineData(DomainEventKind.Started)]
    [InlineData(DomainEventKind.MetadataChanged)]
    [InlineData(DomainEventKind.DeviceAdded)]
    [InlineData(DomainEventKind.DeviceRemoved)]
    [InlineData(DomainEventKind.DeviceRemovalFailed)]
    [InlineData(DomainEventKind.TunableChanged)]
    public async Task Event_RefreshesThatDomainOnly(DomainEventKind kind)
    {
        using var client = new XmlClient { [A] = Xml("one-1", A, "old"), [B] = Xml("wild", B) };
        using var cache = new DomainDefinitionCache(client);
        await cache.GetAsync(A, default);
        await cache.GetAsync(B, default);

        client[A] = Xml("one-1", A, "new");
        client.Raise(A, kind);

        (await cache.GetAsync(A, default)).Title.ShouldBe("new");
        await cache.GetAsync(B, default);
        client.Calls.ShouldBe([A, B, A]);
    }

    [Theory]
    [InlineData(DomainEventKind.Stopped)]
    [InlineData(DomainEventKind.Crashed)]
    [InlineData(DomainEventKind.Undefined)]
    public async Task Event_DomainGone_IsEvicted(DomainEventKind kind)
    {
        using var client = new XmlClient { [A] = Xml("one-1", A) };
        using var cache = new DomainDefinitionCache(client);
        await cache.GetAsync(A, default);

        client.Raise(A, kind);

        cache.Count.ShouldBe(0);
    }

    [Fact]
    public async Task GetAsync_DomainGone_IsANoDomainErrorAndNotKept()
    {
        using var client = new XmlClient();
        using var cache = new DomainDefinitionCache(client);

        var e = await Should.ThrowAsync<LibvirtException>(() => cache.GetAsync(A, default));
        e.NoDomain.ShouldBeTrue();
        await WaitUntil(() => cache.Count == 0);

        client[A] = Xml("one-1", A);
        (await cache.GetAsync(A, default)).Name.ShouldBe("one-1");
    }

    [Fact]
    public async Task GetAsync_BadXml_FailsThatDomainOnlyUntilItsNextEvent()
    {
        using var client = new XmlClient { [A] = "<domain><name>one-1</name><vcpu>4294967296</vcpu></domain>", [B] = Xml("wild", B) };
        using var cache = new DomainDefinitionCache(client);

        var e = await Should.ThrowAsync<FormatException>(() => cache.GetAsync(A, default));
        e.Message.ShouldStartWith($"domain {A} (test:///fake): ");
        e.Message.ShouldContain("<vcpu> '4294967296'");
        (await cache.GetAsync(B, default)).Name.ShouldBe("wild");
        await Should.ThrowAsync<FormatException>(() => cache.GetAsync(A, default));
        client.Calls.Count(c => c == A).ShouldBe(1); // the XML is not fetched again without a change

        client[A] = Xml("one-1", A);
        client.Raise(A, DomainEventKind.Defined);
        (await cache.GetAsync(A, default)).Name.ShouldBe("one-1");
    }

    [Fact]
    public async Task ConnectionChange_ClearsEverything()
    {
        using var client = new XmlClient { [A] = Xml("one-1", A), [B] = Xml("wild", B) };
        using var cache = new DomainDefinitionCache(client);
        await cache.GetAsync(A, default);
        await cache.GetAsync(B, default);

        client.Reconnect();

        cache.Count.ShouldBe(0);
    }

    [Fact]
    public async Task Retain_EvictsDomainsNotListed()
    {
        using var client = new XmlClient { [A] = Xml("one-1", A), [B] = Xml("wild", B) };
        using var cache = new DomainDefinitionCache(client);
        await cache.GetAsync(A, default);
        await cache.GetAsync(B, default);

        cache.Retain([B.ToUpperInvariant()]);

        cache.Count.ShouldBe(1);
        await cache.GetAsync(B, default);
        client.Calls.ShouldBe([A, B]);
    }

    [Fact]
    public async Task EventDuringAFetch_TheStaleAnswerIsNotKept()
    {
        using var client = new XmlClient { [A] = Xml("one-1", A, "old") };
        var gate = new TaskCompletionSource();
        client.Gate = gate.Task;
        using var cache = new DomainDefinitionCache(client);

        var first = cache.GetAsync(A, default);
        var second = cache.GetAsync(A, default); // shares the pending fetch
        await WaitUntil(() => client.Calls.Count == 1);
        client[A] = Xml("one-1", A, "new");
        client.Raise(A, DomainEventKind.MetadataChanged);
        gate.SetResult();
        (await first).Title.ShouldBe("old");
        (await second).Title.ShouldBe("old");

        client.Gate = Task.CompletedTask;
        (await cache.GetAsync(A, default)).Title.ShouldBe("new");
        client.Calls.Count.ShouldBe(2);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(10);
        condition().ShouldBeTrue();
    }

    /// <summary>Just enough of a libvirt client for the cache: domain XML by UUID, events and connection changes on demand.</summary>
    private sealed class XmlClient : ILibvirtClient, IDisposable
    {
        private readonly ConcurrentDictionary<string, string> _xml = new();
        private readonly ConcurrentQueue<string> _calls = new();
        private readonly Subject<DomainEvent> _events = new();
        private readonly Subject<ConnectionChange> _connection = new();

        public string this[string uuid]
        {
            set => _xml[uuid] = value;
        }

        public Task Gate { get; set; } = Task.CompletedTask;

        public List<string> Calls => [.. _calls];

        public string Uri => "test:///fake";

        public IObservable<DomainEvent> Events => _events;

        public IObservable<ConnectionChange> ConnectionChanges => _connection;

        public void Raise(string uuid, DomainEventKind kind) =>
            _events.OnNext(new DomainEvent(DateTimeOffset.UnixEpoch, uuid, "d", 1, kind, 0));

        public void Suspend(string uuid) => Raise(uuid, DomainEventKind.Suspended);

        public void Resume(string uuid) => Raise(uuid, DomainEventKind.Resumed);

        public void Reconnect()
        {
            _connection.OnNext(new ConnectionChange(DateTimeOffset.UnixEpoch, Uri, false, "keepalive"));
            _connection.OnNext(new ConnectionChange(DateTimeOffset.UnixEpoch, Uri, true, null));
        }

        public async Task<string> GetDomainXmlAsync(string uuid, CancellationToken cancellationToken)
        {
            _calls.Enqueue(uuid);
            var answer = _xml.TryGetValue(uuid, out var xml) ? xml : null;
            await Gate;
            return answer ?? throw new LibvirtException($"{Uri}: Domain not found: no domain with matching uuid '{uuid}'") { Code = 42, Uri = Uri };
        }

        public Task<IReadOnlyList<DomainInfo>> ListDomainsAsync(bool includeInactive, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<DomainStatsRecord>> GetAllDomainStatsAsync(DomainStatsGroups groups, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<string> GetCapabilitiesAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<string> GetDomainCapabilitiesAsync(string? emulator, string? arch, string? machine, string? virtType, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<string> BaselineCpuAsync(IReadOnlyList<string> cpuXml, bool expandFeatures, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<LibvirtVersion> GetVersionAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task SetCpuSharesAsync(string uuid, ulong shares, bool persistent, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<string> QemuAgentCommandAsync(string uuid, string command, int timeoutSeconds, CancellationToken cancellationToken) => throw new NotSupportedException();

        public void Dispose()
        {
            _events.Dispose();
            _connection.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
