using OneKvm.Libvirt.Domain;
using OneKvm.Probes.Vm;

using OneKvm.Libvirt.Stats;

namespace OneKvm.Probes.Tests.Vm;

public sealed class VmStateMappingTests
{
    [Theory]
    [InlineData(1, 1, "RUNNING", 'a', true)]
    [InlineData(1, 5, "RUNNING", 'a', true)]
    [InlineData(2, 0, "RUNNING", 'a', true)]
    [InlineData(4, 1, "RUNNING", 'a', true)]
    [InlineData(3, 2, "RUNNING", 'a', false)] // paused: migrating
    [InlineData(3, 3, "RUNNING", 'a', false)] // paused: saving
    [InlineData(3, 11, "RUNNING", 'a', false)] // paused: starting up
    [InlineData(3, 1, "SUSPENDED", 'p', false)]
    [InlineData(3, 0, "FAILURE", 'e', false)]
    [InlineData(3, 5, "FAILURE", 'e', false)]
    [InlineData(3, 6, "FAILURE", 'e', false)]
    [InlineData(3, 10, "FAILURE", 'e', false)]
    [InlineData(3, 13, "FAILURE", 'e', false)]
    [InlineData(3, 4, "UNKNOWN", '-', false)]
    [InlineData(3, 7, "UNKNOWN", '-', false)]
    [InlineData(3, 8, "UNKNOWN", '-', false)]
    [InlineData(3, 9, "UNKNOWN", '-', false)]
    [InlineData(3, 12, "UNKNOWN", '-', false)]
    [InlineData(3, 14, "UNKNOWN", '-', false)]
    [InlineData(3, 99, "UNKNOWN", '-', false)]
    [InlineData(6, 1, "FAILURE", 'e', false)]
    [InlineData(7, 0, "SUSPENDED", 'p', false)]
    [InlineData(0, 0, "UNKNOWN", '-', false)]
    [InlineData(42, 0, "UNKNOWN", '-', false)]
    public void Map_EveryStateAndReason_FollowsUpstreamTable(int state, int reason, string opennebula, char letter, bool io)
    {
        var s = new DomainStateStat(state, reason);
        VmStateMapping.ToOpenNebula(s).ShouldBe(opennebula);
        VmStateMapping.LegacyLetter(s).ShouldBe(letter);
        VmStateMapping.ReportsIo(s).ShouldBe(io);
        VmStateMapping.IsActive(s).ShouldBeTrue();
    }

    [Fact]
    public void Map_ShutOffAndMissingState_AreInactiveOrUnknown()
    {
        VmStateMapping.IsActive(new DomainStateStat(5, 2)).ShouldBeFalse();
        VmStateMapping.ToOpenNebula(null).ShouldBe("UNKNOWN");
        VmStateMapping.ReportsIo(null).ShouldBeFalse();
    }
}
