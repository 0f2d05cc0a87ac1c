using OneKvm.Cgroups;
using OneKvm.Libvirt.Replay;
using OneKvm.Probes.Host;
using OneKvm.Probes.Tests.Sampling;
using OneKvm.Tests;

namespace OneKvm.Probes.Tests.Host;

/// <summary>SYSTEM_HOST over the fixture host, libvirt replayed from its recording (with scripted failures).</summary>
public sealed class SystemHostCategoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-syshost-").FullName;
    private static readonly LibvirtRecording Recorded = ReplayLibvirtClient.Load(Path.Join(TestPaths.Host("debian12-1node"), "libvirt.json"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RenderAsync_DomainCapabilitiesFail_KeepsCapabilitiesKeysAndNamesTheMissingOnes()
    {
        var recording = Recorded with
        {
            Failures = new Dictionary<string, RecordedFailure>
            {
                [ReplayCall.DomainCapabilities] = new("error", "invalid argument: KVM is not supported by '/usr/bin/qemu-system-x86_64' on this host"),
            },
        };

        var e = await Should.ThrowAsync<PartialCategoryException>(() => new SystemHostCategory().RenderAsync(Context(recording), CancellationToken.None));

        e.Message.ShouldStartWith("libvirt attributes left out (KVM_CPU_MODELS, MEMORY_ENCRYPTION): libvirt at qemu:///system: domcapabilities: ");
        e.Message.ShouldContain("KVM is not supported");
        e.PartialPayload.ShouldContain("KVM_MACHINES=\"pc-i440fx-7.2 pc ");
        e.PartialPayload.ShouldContain("KVM_CPU_MODEL=\"kvm64\"\n");
        e.PartialPayload.ShouldContain("KVM_CPU_FEATURES=\"3dnowprefetch,");
        e.PartialPayload.ShouldNotContain("KVM_CPU_MODELS");
        e.PartialPayload.ShouldNotContain("MEMORY_ENCRYPTION");
    }

    [Fact]
    public async Task CollectAsync_AllRecorded_IsComplete()
    {
        var category = new SystemHostCategory();
        var sample = await category.CollectAsync(Context(Recorded), CancellationToken.None);
        category.Missing(sample).ShouldBeEmpty();
        sample.Libvirt.DomainCapabilities.ShouldNotBeNull().MemoryEncryption.ShouldBe("NONE");
        sample.Kernel.TotalCpu.ShouldBe(200);
        sample.Numa.ShouldHaveSingleItem().Cores.Count.ShouldBe(2);
    }

    private ProbeContext Context(LibvirtRecording recording) =>
        ProbeContexts.Replay(HostPaths.UnderRoot(TestPaths.Host("debian12-1node")), new ProbeSettings { StateDirectory = _dir }, recording);
}
