using Qlib.Tracked.Formats;
using Qlib.Tracked.Formats.Python;

namespace Qlib.Tracked.Tests;

public class PythonFloatTests
{
    // Expected strings are CPython 3.11's str(float) (reference §1.3 plus a few more, checked with python3).
    [Theory]
    [InlineData(1e-05d, "1e-05")]
    [InlineData(0.0001d, "0.0001")]
    [InlineData(1e+16d, "1e+16")]
    [InlineData(1000000000000000.0d, "1000000000000000.0")]
    [InlineData(123456789012345.6d, "123456789012345.6")]
    [InlineData(1.2345678901234567e+19d, "1.2345678901234567e+19")]
    [InlineData(1.7976931348623157e+308d, "1.7976931348623157e+308")]
    [InlineData(5e-324d, "5e-324")]
    [InlineData(0.30000000000000004d, "0.30000000000000004")]
    [InlineData(100.0d, "100.0")]
    [InlineData(2.0d, "2.0")]
    [InlineData(0.5d, "0.5")]
    [InlineData(1e-300d, "1e-300")]
    [InlineData(0.0d, "0.0")]
    [InlineData(-1.5d, "-1.5")]
    [InlineData(0.3333333333333333d, "0.3333333333333333")]
    [InlineData(9007199254740992d, "9007199254740992.0")]
    [InlineData(9999999999999998.0d, "9999999999999998.0")]
    [InlineData(0.00012345d, "0.00012345")]
    [InlineData(123.456d, "123.456")]
    [InlineData(-1e-07d, "-1e-07")]
    [InlineData(1e+22d, "1e+22")]
    [InlineData(2.5e-05d, "2.5e-05")]
    [InlineData(12345678.9d, "12345678.9")]
    [InlineData(0.001d, "0.001")]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void ToString_SpellsLikePythonRepr(double value, string expected)
    {
        Assert.Equal(expected, PythonFloat.ToString(value));
        Span<byte> utf8 = stackalloc byte[PythonFloat.MaxLength];
        var length = PythonFloat.FormatUtf8(value, utf8);
        Assert.Equal(expected, System.Text.Encoding.ASCII.GetString(utf8[..length]));
    }

    [Fact]
    public void ToString_NegativeZeroKeepsItsSign() => Assert.Equal("-0.0", PythonFloat.ToString(-1.0 * 0.0 * -1.0 * -1.0));

    [Theory]
    [InlineData("nan", double.NaN)]
    [InlineData("NaN", double.NaN)]
    [InlineData("inf", double.PositiveInfinity)]
    [InlineData("-inf", double.NegativeInfinity)]
    [InlineData("Infinity", double.PositiveInfinity)]
    [InlineData("-Infinity", double.NegativeInfinity)]
    [InlineData("+inf", double.PositiveInfinity)]
    [InlineData("1e-300", 1e-300)]
    [InlineData("2", 2.0)]
    [InlineData("2.0", 2.0)]
    [InlineData("-3.5e+2", -350.0)]
    [InlineData(" 0.25 ", 0.25)]
    public void TryParse_AcceptsWhatPythonWrites(string text, double expected)
    {
        Assert.True(PythonFloat.TryParse(text.AsSpan(), out var value));
        Assert.Equal(expected, value);
        Assert.True(PythonFloat.TryParse(System.Text.Encoding.ASCII.GetBytes(text.Trim()).AsSpan(), out var fromBytes));
        Assert.Equal(expected, fromBytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1.2.3")]
    [InlineData("infinit")]
    public void TryParse_RejectsGarbage(string text) => Assert.False(PythonFloat.TryParse(text.AsSpan(), out _));

    [Fact]
    public void ToString_RoundTripsRandomDoubles()
    {
        var random = new Random(42);
        for (var i = 0; i < 20000; i++)
        {
            var value = BitConverter.Int64BitsToDouble(random.NextInt64());
            if (!double.IsFinite(value)) continue;
            var text = PythonFloat.ToString(value);
            Assert.True(PythonFloat.TryParse(text.AsSpan(), out var back), text);
            Assert.Equal(value, back);
            var exponent = text.IndexOf('e');
            if (exponent >= 0) Assert.Matches(@"^-?\d(\.\d+)?e[+-]\d{2,3}$", text);
            else Assert.Matches(@"^-?\d+\.\d+$", text);
        }
    }

    [Theory]
    [InlineData(0.1f, "0.1")]
    [InlineData(1f, "1.0")]
    [InlineData(3.4028235e38f, "3.4028235e+38")]
    [InlineData(1e-5f, "1e-05")]
    [InlineData(float.NaN, "nan")]
    [InlineData(float.NegativeInfinity, "-inf")]
    public void ToString_Single_UsesTheFloatsOwnShortestDigits(float value, string expected) => Assert.Equal(expected, PythonFloat.ToString(value));

    [Fact]
    public void ToString_Half_UsesTheHalfsOwnShortestDigits()
    {
        Assert.Equal("0.1", PythonFloat.ToString((Half)0.1));
        Assert.Equal("inf", PythonFloat.ToString(Half.PositiveInfinity));
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(1.0, "1.0")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(0.25, "0.25")]
    public void PandasFloat_IsPythonsReprWithPandasNaN(double value, string expected) => Assert.Equal(expected, PandasFloat.ToString(value));
}
