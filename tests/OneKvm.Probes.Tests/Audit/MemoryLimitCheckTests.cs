using OneKvm.Probes.Audit;

namespace OneKvm.Probes.Tests.Audit;

public sealed class MemoryLimitCheckTests
{
    [Theory]
    [InlineData(null, 1000, "none")]
    [InlineData(1024L * 1000, 1000, "matches")]
    [InlineData(1024L * 500, 1000, "below_max_mem")]
    [InlineData(1024L * 2000, 1000, "above_max_mem")]
    public void MemoryLimitCheck(long? limitBytes, long maxMemKiB, string check) =>
        CgroupReport.MemoryLimitCheck(limitBytes, maxMemKiB).ShouldBe(check);
}
