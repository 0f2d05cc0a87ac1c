using OneKvm.Probes.OpenNebula;

namespace OneKvm.Probes.Tests.OpenNebula;

public sealed class ReservationTests
{
    // Worked examples of oned's parse rules.
    [Theory]
    [InlineData(800, null, 800, false)]
    [InlineData(800, "", 800, false)]
    [InlineData(800, "100", 700, false)]
    [InlineData(800, "10%", 720, false)]
    [InlineData(800, "-400", 1200, false)]
    [InlineData(800, "-800", 1600, false)]
    [InlineData(800, "-50%", 1200, false)]
    [InlineData(800, "+100", 700, false)]
    [InlineData(800, "100 ", 700, false)]      // trailing blank trimmed
    [InlineData(800, "100\t", 700, false)]
    [InlineData(800, "0", 800, false)]
    [InlineData(800, "100%", 0, false)]
    [InlineData(800, "12.5%", 800, true)]      // not an integer: oned ignores it
    [InlineData(800, "10.5%", 800, true)]
    [InlineData(800, "1e3", 800, true)]
    [InlineData(800, "10 %", 800, true)]
    [InlineData(800, "1,024", 800, true)]
    [InlineData(800, "abc", 800, true)]
    [InlineData(800, "%", 800, true)]
    [InlineData(800, "99999999999999999999", 800, true)] // beyond 64 bits
    [InlineData(16318768, "1048576", 15270192, false)]
    [InlineData(16318768, "7%", 15176454, false)]
    [InlineData(16318768, "-10240", 16329008, false)]
    [InlineData(333, "33%", 223, false)]       // trunc(333 × 0.67) = trunc(223.11)
    public void Apply_GivesOnedsMax(long total, string? reserved, long max, bool warns)
    {
        var result = Reservation.Apply(total, reserved, "RESERVED_CPU");
        result.Max.ShouldBe(max);
        if (warns) result.Warning.ShouldNotBeNull().ShouldContain("RESERVED_CPU");
        else result.Warning.ShouldBeNull();
    }
}
