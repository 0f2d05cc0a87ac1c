using OneKvm.Cgroups.Vm;

namespace OneKvm.Cgroups.Tests.Vm;

public sealed class MachineNameTests
{
    [Theory]
    [InlineData(7, "one-73", "qemu-7-one-73")]
    [InlineData(1, "vm1", "qemu-1-vm1")]
    [InlineData(3, "my_vm.test", "qemu-3-myvm.test")]
    [InlineData(3, "a--b..c", "qemu-3-a-b.c")]
    [InlineData(3, "trail-.", "qemu-3-trail")]
    [InlineData(3, "ünï cödé", "qemu-3-ncd")]
    public void For_SanitisesLikeLibvirt(int id, string name, string machine) => MachineName.For(id, name).ShouldBe(machine);

    [Fact]
    public void For_CutsAt64() => MachineName.For(12, new string('x', 100)).Length.ShouldBe(64);

    [Theory]
    [InlineData("qemu-7-one-73", "qemu\\x2d7\\x2done\\x2d73")]
    [InlineData("qemu-1-vm1", "qemu\\x2d1\\x2dvm1")]
    [InlineData("a b", "a\\x20b")]
    [InlineData("a/b", "a-b")]
    [InlineData(".hidden", "\\x2ehidden")]
    [InlineData("x:y_z.w", "x:y_z.w")]
    public void SystemdEscape(string value, string escaped) => MachineName.SystemdEscape(value).ShouldBe(escaped);

    [Fact]
    public void CandidateDirectories_CoverBothLayouts() =>
        MachineName.CandidateDirectories(1, "one-73").ShouldBe([
            "machine.slice/machine-qemu\\x2d1\\x2done\\x2d73.scope",
            "machine.slice/machine-qemu\\x2done\\x2d73.scope",
            "machine/qemu-1-one-73.libvirt-qemu",
        ]);
}
