using OneKvm.Cgroups;
using OneKvm.Probes.Host;
using OneKvm.Probes.Virsh;
using OneKvm.Tests;

namespace OneKvm.Probes.Tests.Host;

/// <summary>
/// SYSTEM_HOST over the fixture host with the stand-in virsh. Each test gets its own recordings
/// directory and a wrapper script that points the stand-in at it, so no process environment is shared.
/// </summary>
public sealed class SystemHostCategoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-syshost-").FullName;
    private readonly string _recorded = Path.Join(TestPaths.Host("debian12-1node"), "virsh");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RenderAsync_DomcapabilitiesFails_KeepsCapabilitiesKeysAndNamesTheMissingOnes()
    {
        Record("capabilities.txt", File.ReadAllText(Path.Join(_recorded, "capabilities.txt")));
        Record("cpu-baseline.txt", File.ReadAllText(Path.Join(_recorded, "cpu-baseline.txt")));
        Record("domcapabilities.exit", "1\n");
        Record("domcapabilities.stderr", "error: failed to get emulator capabilities\nerror: invalid argument: KVM is not supported by '/usr/bin/qemu-system-x86_64' on this host\n");

        var e = await Should.ThrowAsync<PartialCategoryException>(() => new SystemHostCategory().RenderAsync(Context(), CancellationToken.None));

        e.Message.ShouldStartWith("libvirt attributes left out (KVM_CPU_MODELS, MEMORY_ENCRYPTION): 'virsh domcapabilities --arch x86_64' failed for libvirt at qemu:///system: ");
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
        foreach (var file in Directory.GetFiles(_recorded)) File.Copy(file, Path.Join(_dir, Path.GetFileName(file)));
        var category = new SystemHostCategory();
        var sample = await category.CollectAsync(Context(), CancellationToken.None);
        category.Missing(sample).ShouldBeEmpty();
        sample.Libvirt.DomainCapabilities.ShouldNotBeNull().MemoryEncryption.ShouldBe("NONE");
        sample.Kernel.TotalCpu.ShouldBe(200);
        sample.Numa.ShouldHaveSingleItem().Cores.Count.ShouldBe(2);
    }

    private void Record(string name, string text) => File.WriteAllText(Path.Join(_dir, name), text);

    private ProbeContext Context()
    {
        var wrapper = Path.Join(_dir, "virsh-wrapper");
        File.WriteAllText(wrapper, $"#!/bin/sh\nONEKVM_VIRSH_FIXTURE_DIR='{_dir}' exec '{Path.Join(TestPaths.Fixtures, "bin", "virsh")}' \"$@\"\n");
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("the stand-in virsh is a shell script");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new ProbeContext
        {
            Paths = HostPaths.UnderRoot(TestPaths.Host("debian12-1node")),
            Virsh = new VirshCli(new VirshOptions { Path = wrapper, TimeoutSeconds = 10 }),
            Settings = new ProbeSettings { StateDirectory = _dir },
        };
    }
}
