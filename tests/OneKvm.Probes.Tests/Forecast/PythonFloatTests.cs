using OneKvm.Probes.Forecast;

namespace OneKvm.Probes.Tests.Forecast;

public class PythonFloatTests
{
    [Theory]
    [InlineData(12.0, "12.0")]
    [InlineData(12.5, "12.5")]
    [InlineData(0.1, "0.1")]
    [InlineData(1234567.0, "1234567.0")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(2.5e17, "2.5e+17")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(0.000015, "1.5e-05")]
    [InlineData(-3.25, "-3.25")]
    [InlineData(0.0, "0.0")]
    [InlineData(123456789.12, "123456789.12")]
    public void Formats_as_python_repr(double value, string expected) => PythonFloat.Format(value).ShouldBe(expected);

    [Theory]
    [InlineData(12.345678, "12.35")]
    [InlineData(99.999, "100.0")]
    [InlineData(2.675, "2.67")] // the binary double below 2.675, as Python rounds it
    [InlineData(7.0, "7.0")]
    public void Rounds_to_two_decimals_first(double value, string expected) => PythonFloat.FormatRounded(value).ShouldBe(expected);
}
