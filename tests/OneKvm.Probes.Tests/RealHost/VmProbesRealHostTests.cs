using System.Globalization;
using System.Text;
using OneKvm.Probes.Vm;
using OneKvm.Tests;

namespace OneKvm.Probes.Tests.RealHost;

/// <summary>MONITOR_VM, STATE_VM and wild VMs against real QEMU domains on the local libvirtd.</summary>
[Trait(TestTraits.Category, TestTraits.RealHost)]
[Collection(LibvirtGroup.Name)]
public sealed class VmProbesRealHostTests : IDisposable
{
    private readonly string _state = RealVm.TempDir();

    public void Dispose() => Directory.Delete(_state, true);

    [Fact]
    public async Task MonitorVm_RealDomains_AgreeWithVirshAndProc()
    {
        using var full = TestDomain.Start(new TestDomainSpec
        {
            Name = "one-9100", Disks = true, TapNic = true, GuestAgent = true, OneVmName = "full", Title = "full vm",
        });
        using var plain = TestDomain.Start(new TestDomainSpec { Name = "one-9101" });
        using var wild = TestDomain.Start(new TestDomainSpec { Name = "onekvm-test-vm1" });
        var context = RealVm.Context(_state);
        var category = new MonitorVmCategory();

        var before = new[] { RealVm.DomStats(full.Name), RealVm.DomStats(plain.Name) };
        var text = await category.RenderAsync(context, CancellationToken.None);
        var after = new[] { RealVm.DomStats(full.Name), RealVm.DomStats(plain.Name) };

        text.ShouldNotContain(wild.Uuid);
        foreach (var (domain, i) in new[] { (full, 0), (plain, 1) })
        {
            var id = int.Parse(domain.Name[4..], CultureInfo.InvariantCulture);
            text.ShouldContain($"VM = [ ID=\"{id}\", DEPLOY_ID=\"{domain.Uuid}\", MONITOR=\"");
            var m = RealVm.Monitor(text, id);
            foreach (var (key, group, field) in new[]
            {
                ("NETRX", "net", "rx.bytes"), ("NETTX", "net", "tx.bytes"),
                ("DISKRDBYTES", "block", "rd.bytes"), ("DISKWRBYTES", "block", "wr.bytes"),
                ("DISKRDIOPS", "block", "rd.reqs"), ("DISKWRIOPS", "block", "wr.reqs"),
            })
            {
                var value = ulong.Parse(m[key], CultureInfo.InvariantCulture);
                value.ShouldBeInRange(RealVm.Sum(before[i], group, field), RealVm.Sum(after[i], group, field), $"{domain.Name} {key}");
            }
            var memory = long.Parse(m["MEMORY"], CultureInfo.InvariantCulture);
            memory.ShouldBeInRange(RealVm.MemoryKiB(domain.Uuid) - 4096, RealVm.MemoryKiB(domain.Uuid) + 4096, $"{domain.Name} MEMORY vs /proc");
            double.Parse(m["CPU"], CultureInfo.InvariantCulture).ShouldBeInRange(0, 100.0 * Environment.ProcessorCount);
            m["VM_QEMU_PING"].ShouldBe(MonitorVmCategory.GuestAgentDisabled);
        }
        RealVm.Sum(after[0], "block", "rd.bytes").ShouldBeGreaterThan(0UL); // the full domain really has disks being read

        // Second run: the previous sample is on disk, CPU comes from it (no second read needed).
        var cpuFile = Path.Join(_state, "monitor_vm.cpu.json");
        File.Exists(cpuFile).ShouldBeTrue();
        var again = await category.RenderAsync(context, CancellationToken.None);
        RealVm.Monitor(again, 9100).ShouldContainKey("CPU");
    }

    [Fact]
    public async Task StateVm_SuspendResumeDestroy_Transitions()
    {
        using var vm = TestDomain.Start(new TestDomainSpec { Name = "one-9110" });
        var context = RealVm.Context(_state, timesMissing: 1);
        var category = new StateVmCategory();
        async Task<string> Run() => await category.RenderAsync(context, CancellationToken.None);
        string Line(string state) => $"VM = [ ID=\"9110\", DEPLOY_ID=\"{vm.Uuid}\",  STATE=\"{state}\" ]";

        (await Run()).ShouldContain(Line("RUNNING"));            // first run: sync
        (await Run()).ShouldNotContain(vm.Uuid);                 // unchanged: not reported
        vm.Suspend();
        (await Run()).ShouldContain(Line("SUSPENDED"));
        vm.Resume();
        (await Run()).ShouldContain(Line("RUNNING"));
        vm.Destroy();
        (await Run()).ShouldNotContain(vm.Uuid);                 // first miss: grace
        (await Run()).ShouldContain(Line("POWEROFF"));           // missing >= times_missing (1)
        (await Run()).ShouldNotContain(vm.Uuid);                 // forgotten
    }

    [Fact]
    public async Task WildVms_RealWildDomain_TemplateFromXmlAndCachedXml()
    {
        using var wild = TestDomain.Start(new TestDomainSpec { Name = "onekvm-test-vm2", Vcpus = 2, MemoryMiB = 80 });
        using var one = TestDomain.Start(new TestDomainSpec { Name = "one-9120" });
        var context = RealVm.Context(_state);

        var wilds = await WildVmsSection.CollectAsync(context, CancellationToken.None);
        wilds.ShouldNotContain(w => w.Name == one.Name);
        var mine = wilds.Single(w => w.Name == wild.Name);
        mine.Error.ShouldBeNull();
        mine.DeployId.ShouldBe(wild.Uuid);
        var port = TestDomain.Virsh("vncdisplay", wild.Name).Stdout.Trim().Split(':')[^1];
        mine.ImportTemplate.ShouldBe($"""
            NAME="onekvm-test-vm2"
            CPU=2
            VCPU=2
            MEMORY=80
            HYPERVISOR="kvm"
            DEPLOY_ID="{wild.Uuid}"
            OS=[ARCH="x86_64"]
            FEATURES=[  ACPI="yes"]
            GRAPHICS = [ TYPE="vnc", PORT="{5900 + int.Parse(port, CultureInfo.InvariantCulture)}" ]

            """);
        var rendered = WildVmsSection.Render(wilds);
        rendered.ShouldContain($"VM = [ID=\"-1\", DEPLOY_ID=\"{wild.Uuid}\", VM_NAME=\"onekvm-test-vm2\", IMPORT_TEMPLATE=\"{Convert.ToBase64String(Encoding.UTF8.GetBytes(mine.ImportTemplate!))}\"]");

        var fetches = context.Definitions.Fetches;
        await WildVmsSection.CollectAsync(context, CancellationToken.None);
        context.Definitions.Fetches.ShouldBe(fetches); // unchanged domains: no second XML read
    }
}
