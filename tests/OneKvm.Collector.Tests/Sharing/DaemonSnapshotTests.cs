using System.Text.Json;
using OneKvm.Collector.Sharing;
using OneKvm.Libvirt;
using OneKvm.Libvirt.Replay;
using OneKvm.Probes.Sampling;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Sharing;

/// <summary>
/// The daemon's <c>snapshot</c> answer read by a client in process (a real unix socket in a
/// temporary directory): the client's snapshot is the daemon's, CPU and memory included; a client
/// whose daemon goes away reads with its own connection, and through the daemon again once it is back.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DaemonSnapshotTests : IAsyncDisposable
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_764_590_000_123);

    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-snapshot-").FullName;

    private string Socket => Path.Join(_dir, "run", "sampler.sock");

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return ValueTask.CompletedTask;
    }

    /// <summary>A daemon-side source that hands out numbered snapshots with memory and CPU figures, taken "now" on a fixed clock.</summary>
    private sealed class CountingSource(ILibvirtClient libvirt) : IDomainSnapshotSource
    {
        public int Reads;

        public Exception? Failure { get; set; }

        public ILibvirtClient Libvirt => libvirt;

        public Task<DomainSnapshot> ReadAsync(DateTimeOffset? notBefore, CancellationToken cancellationToken)
        {
            if (Failure is { } f) throw f;
            var n = Interlocked.Increment(ref Reads);
            var stats = new Libvirt.Stats.DomainStats("one-7", new(1, 1), new(12_345_678_901UL * (ulong)n, 10UL, 20UL), null, null, null, null);
            var entry = new DomainEntry("one-7", "0f4a2b6c-1111-4222-8333-444455556666", 3, stats)
            {
                Memory = new QemuMemory(123_456 + n, 789),
                CpuPercent = 37.25 + n,
            };
            return Task.FromResult(new DomainSnapshot([entry], T0.AddSeconds(n), ["a skipped record"]) { CpuSince = T0.AddSeconds(n - 1).AddMilliseconds(-7) });
        }
    }

    private (SamplerSocketServer Server, CountingSource Source, DomainSampler Sampler) StartDaemon(TimeSpan maxAge, Microsoft.Extensions.Time.Testing.FakeTimeProvider? time = null)
    {
        var libvirt = new ReplayLibvirtClient(new LibvirtRecording());
        var source = new CountingSource(libvirt);
        var sampler = new DomainSampler(source, time ?? new Microsoft.Extensions.Time.Testing.FakeTimeProvider(T0.AddSeconds(1))) { MaxAge = maxAge };
        var server = new SamplerSocketServer(Socket, libvirt, sampler, TextWriter.Null);
        server.Start();
        return (server, source, sampler);
    }

    private DaemonLibvirtClient Client(ILibvirtClient own) =>
        new(new SocketLibvirtClient(Socket, "qemu:///system", TimeSpan.FromSeconds(10)), () => own);

    [Fact]
    public async Task ClientSnapshot_IsTheDaemonsOwn_CpuMemoryTimesAndWarnings()
    {
        var (server, source, daemonSampler) = StartDaemon(TimeSpan.FromHours(1));
        await using var _ = server;
        var daemonSnapshot = await daemonSampler.ReadAsync(CancellationToken.None);
        await using var client = Client(new ReplayLibvirtClient(new LibvirtRecording()));
        using var clientSampler = new DomainSampler(new DaemonSnapshotSource(client, TimeProvider.System, Cgroups.HostPaths.Default), TimeProvider.System);

        var snapshot = await clientSampler.ReadAsync(CancellationToken.None);

        source.Reads.ShouldBe(1); // the daemon's latest, not a read of the client's own
        snapshot.TakenAt.ShouldBe(daemonSnapshot.TakenAt);
        snapshot.CpuSince.ShouldBe(daemonSnapshot.CpuSince);
        snapshot.Warnings.ShouldBe(["a skipped record"]);
        var d = snapshot.Domains.ShouldHaveSingleItem();
        d.CpuPercent.ShouldBe(38.25);
        d.Memory.ShouldBe(new QemuMemory(123_457, 789));
        (d.Name, d.Uuid, d.Id).ShouldBe(("one-7", "0f4a2b6c-1111-4222-8333-444455556666", 3));
        JsonSerializer.Serialize(d.Stats, SharedSnapshotJson.Default.Options)
            .ShouldBe(JsonSerializer.Serialize(daemonSnapshot.Domains[0].Stats, SharedSnapshotJson.Default.Options));
        client.UsesOwnConnection.ShouldBeFalse();
    }

    [Fact]
    public async Task NotBefore_AsksTheDaemonForANewerSnapshot()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(T0.AddSeconds(1));
        var (server, source, _) = StartDaemon(TimeSpan.FromHours(1), time);
        await using var __ = server;
        await using var client = Client(new ReplayLibvirtClient(new LibvirtRecording()));

        var first = await client.Daemon.ReadSnapshotAsync(null, CancellationToken.None);
        var again = await client.Daemon.ReadSnapshotAsync(null, CancellationToken.None);
        var newer = await client.Daemon.ReadSnapshotAsync(first.TakenAt.AddMilliseconds(1), CancellationToken.None);

        again.TakenAt.ShouldBe(first.TakenAt);
        newer.TakenAt.ShouldBe(T0.AddSeconds(2));
        source.Reads.ShouldBe(2);
    }

    [Fact]
    public async Task DaemonReadFails_ClientGetsTheDaemonsError_AndDoesNotOpenItsOwn()
    {
        var (server, source, _) = StartDaemon(TimeSpan.Zero);
        await using var __ = server;
        source.Failure = new LibvirtException("libvirt at qemu:///system: cannot connect") { Unreachable = true };
        await using var client = Client(new ReplayLibvirtClient(new LibvirtRecording()));
        using var clientSampler = new DomainSampler(new DaemonSnapshotSource(client, TimeProvider.System, Cgroups.HostPaths.Default), TimeProvider.System);

        var e = await Should.ThrowAsync<LibvirtException>(() => clientSampler.ReadAsync(CancellationToken.None));

        e.Message.ShouldBe("libvirt at qemu:///system: cannot connect");
        e.Unreachable.ShouldBeTrue();
        client.UsesOwnConnection.ShouldBeFalse();
    }

    [Fact]
    public async Task BadNotBefore_IsAnErrorNamingIt()
    {
        var (server, _, _) = StartDaemon(TimeSpan.Zero);
        await using var __ = server;
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(Socket));
        await using var stream = new System.Net.Sockets.NetworkStream(socket);
        await stream.WriteAsync("snapshot yesterday\n"u8.ToArray());
        using var reader = new StreamReader(stream);
        var answer = JsonSerializer.Deserialize(await reader.ReadLineAsync() ?? "", SharedSnapshotJson.Default.SharedSnapshot)!;

        answer.TakenAt.ShouldBeNull();
        answer.Failure.ShouldBe(new RecordedFailure("error", "snapshot: not-before 'yesterday' is not a Unix time in milliseconds"));
    }

    [Fact]
    public async Task DaemonGone_ClientReadsWithItsOwnConnection_ThenThroughTheDaemonAgain()
    {
        var recording = Path.Join(TestPaths.Host("kvm-three-domains"), "libvirt.json");
        var own = ReplayLibvirtClient.FromFile(recording);
        var opened = 0;
        var (server, source, _) = StartDaemon(TimeSpan.Zero);
        await using var client = new DaemonLibvirtClient(new SocketLibvirtClient(Socket, "qemu:///system", TimeSpan.FromSeconds(10)), () =>
        {
            opened++;
            return own;
        });
        using var clientSampler = new DomainSampler(new DaemonSnapshotSource(client, TimeProvider.System, Cgroups.HostPaths.UnderRoot(_dir)), TimeProvider.System);
        (await clientSampler.ReadAsync(CancellationToken.None)).Domains.ShouldHaveSingleItem().Name.ShouldBe("one-7");

        await server.DisposeAsync(); // the daemon stops: its socket is gone
        var alone = await clientSampler.ReadAsync(CancellationToken.None);
        alone.Domains.Select(d => d.Name).ShouldBe(["one-9390", "one-9391", "onekvm-test-vm90"], ignoreOrder: true);
        alone.Domains.ShouldAllBe(d => d.CpuPercent == null); // the own source's first read: no baseline yet
        client.UsesOwnConnection.ShouldBeTrue();
        (await client.ListDomainsAsync(false, CancellationToken.None)).Count.ShouldBeGreaterThan(0);

        (server, _, _) = StartDaemon(TimeSpan.Zero); // the daemon is back
        await using var ___ = server;
        (await clientSampler.ReadAsync(CancellationToken.None)).Domains.ShouldHaveSingleItem().Name.ShouldBe("one-7");
        client.UsesOwnConnection.ShouldBeFalse();
        opened.ShouldBe(1);
        source.Reads.ShouldBe(1);
    }
}
