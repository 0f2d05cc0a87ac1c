using OneKvm.Libvirt.Domain;

namespace OneKvm.Libvirt.Tests.Domain;

public sealed class MemoryUnitTests
{
    private const ulong Ki = 1024, K = 1000;

    public static TheoryData<string?, ulong> Units => new()
    {
        { null, Ki },
        { "", Ki },
        { "b", 1 },
        { "bytes", 1 },
        { "byte", 1 },
        { "B", 1 },
        { "KB", K },
        { "k", Ki },
        { "K", Ki },
        { "KiB", Ki },
        { "kib", Ki },
        { "MB", K * K },
        { "M", Ki * Ki },
        { "MiB", Ki * Ki },
        { "GB", K * K * K },
        { "G", Ki * Ki * Ki },
        { "GiB", Ki * Ki * Ki },
        { "TB", K * K * K * K },
        { "T", Ki * Ki * Ki * Ki },
        { "TiB", Ki * Ki * Ki * Ki },
        { "PB", K * K * K * K * K },
        { "P", Ki * Ki * Ki * Ki * Ki },
        { "PiB", Ki * Ki * Ki * Ki * Ki },
        { "EB", K * K * K * K * K * K },
        { "E", Ki * Ki * Ki * Ki * Ki * Ki },
        { "EiB", Ki * Ki * Ki * Ki * Ki * Ki },
    };

    [Theory]
    [MemberData(nameof(Units))]
    public void BytesPer_EveryUnitLibvirtAccepts(string? unit, ulong bytes) => MemoryUnit.BytesPer(unit).ShouldBe(bytes);

    [Theory]
    [InlineData("parsecs")]
    [InlineData("KiBs")]
    [InlineData("Kb2")]
    [InlineData("Z")]
    [InlineData("ZiB")]
    [InlineData("iB")]
    public void BytesPer_UnknownUnit_IsNull(string unit) => MemoryUnit.BytesPer(unit).ShouldBeNull();

    [Theory]
    [InlineData(64UL, "MiB", 65536UL)]
    [InlineData(1UL, "G", 1048576UL)]
    [InlineData(2048UL, "bytes", 2UL)]
    [InlineData(1025UL, "b", 2UL)] // rounded up, as libvirt does
    [InlineData(1024UL, "KB", 1000UL)]
    [InlineData(1UL, "KB", 1UL)]
    [InlineData(3UL, "MB", 2930UL)] // 3,000,000 B = 2929.69 KiB
    [InlineData(1UL, "TB", 976562500UL)]
    [InlineData(15UL, "EiB", 15UL << 50)]
    [InlineData(18UL, "EB", 17578125000000000UL)]
    [InlineData(0UL, "EiB", 0UL)]
    [InlineData(18446744073709551615UL, "b", 18014398509481984UL)]
    public void ToKiB_ConvertsExactly(ulong value, string unit, ulong kib) => MemoryUnit.ToKiB(value, unit).ShouldBe(kib);

    [Theory]
    [InlineData(16UL, "EiB")]
    [InlineData(19UL, "EB")]
    [InlineData(18446744073709551615UL, "KiB")]
    [InlineData(16777216UL, "TiB")]
    public void ToKiB_BeyondSixtyFourBitBytes_IsNull(ulong value, string unit) => MemoryUnit.ToKiB(value, unit).ShouldBeNull();
}
