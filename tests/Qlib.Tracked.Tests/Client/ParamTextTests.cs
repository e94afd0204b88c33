using Qlib.Tracked.Client;

namespace Qlib.Tracked.Tests.Tracking;

public class ParamTextTests
{
    public enum Speed { Slow, Fast }

    [Flags]
    public enum Options { None = 0, A = 1, B = 2 }

    public static TheoryData<double> Doubles() =>
    [
        0.0, -0.0, 0.1, 1e-5, 100.0, 1.0 / 3, double.Epsilon, double.MaxValue, double.MinValue, -2.5e-300,
        1e16, 123456789.123, double.NaN, double.PositiveInfinity, double.NegativeInfinity,
    ];

    [Theory]
    [MemberData(nameof(Doubles))]
    public void Double_FormatThenParse_SameBits(double value)
    {
        var text = ParamText.Format<double, ParamCodecs.Double>(value);
        Assert.Equal(ParamValue.Format(value), text);
        var back = ParamText.Parse<double, ParamCodecs.Double>(text, "k");
        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(back));
    }

    [Theory]
    [InlineData(0.1f)]
    [InlineData(1.17549435E-38f)]
    [InlineData(3.4028235E+38f)]
    [InlineData(16777217f)]
    [InlineData(float.NaN)]
    [InlineData(float.NegativeInfinity)]
    public void Single_FormatThenParse_SameValue(float value)
    {
        var text = ParamText.Format<float, ParamCodecs.Single>(value);
        Assert.Equal(ParamValue.Format(value), text);
        Assert.Equal(value, ParamText.Parse<float, ParamCodecs.Single>(text, "k"));
    }

    [Fact]
    public void Scalars_SpelledAsPythonStr_AndParsedBack()
    {
        Assert.Equal("True", ParamText.Format<bool, ParamCodecs.Boolean>(true));
        Assert.True(ParamText.Parse<bool, ParamCodecs.Boolean>("True", "k"));
        Assert.Equal("-9223372036854775808", ParamText.Format<long, ParamCodecs.Int64>(long.MinValue));
        Assert.Equal(long.MinValue, ParamText.Parse<long, ParamCodecs.Int64>("-9223372036854775808", "k"));
        Assert.Equal("0.10", ParamText.Format<decimal, ParamCodecs.Decimal>(0.10m));
        Assert.Equal("0.10", ParamText.Parse<decimal, ParamCodecs.Decimal>("0.10", "k").ToString(System.Globalization.CultureInfo.InvariantCulture));
        var when = new DateTime(2021, 1, 4, 9, 30, 0).AddTicks(1230);
        Assert.Equal("2021-01-04 09:30:00.000123", ParamText.Format<DateTime, ParamCodecs.DateTime>(when));
        Assert.Equal(when, ParamText.Parse<DateTime, ParamCodecs.DateTime>("2021-01-04 09:30:00.000123", "k"));
        Assert.Equal("Fast", ParamText.Format<Speed, ParamCodecs.Enum<Speed>>(Speed.Fast));
        Assert.Equal(Speed.Fast, ParamText.Parse<Speed, ParamCodecs.Enum<Speed>>("Fast", "k"));
        Assert.Equal("A, B", ParamText.Format<Options, ParamCodecs.Enum<Options>>(Options.A | Options.B));
        Assert.Equal(Options.A | Options.B, ParamText.Parse<Options, ParamCodecs.Enum<Options>>("A, B", "k"));
        Assert.Equal("None", ParamText.FormatNullable<int, ParamCodecs.Int32>(null));
        Assert.Null(ParamText.ParseNullable<int, ParamCodecs.Int32>("None", "k"));
        Assert.Equal(3, ParamText.ParseNullable<int, ParamCodecs.Int32>("3", "k"));
    }

    [Fact]
    public void Lists_SpelledAsPythonLists_LikeParamValue()
    {
        double[] alphas = [0.1, 1, 10, double.NaN, double.NegativeInfinity];
        var text = ParamText.FormatList<double, ParamCodecs.Double>(alphas);
        Assert.Equal("[0.1, 1.0, 10.0, nan, -inf]", text);
        Assert.Equal(ParamValue.Format(alphas), text);
        Assert.Equal(alphas, ParamText.ParseList<double, ParamCodecs.Double>(text, "k"));

        string[] names = ["a", "it's", "say \"hi\", 'you'", "back\\slash\n", "[x, y]", ""];
        var s = ParamText.FormatList<string, ParamCodecs.String>(names);
        Assert.Equal(ParamValue.Format(names), s);
        Assert.Equal(names, ParamText.ParseList<string, ParamCodecs.String>(s, "k"));

        Speed[] speeds = [Speed.Fast, Speed.Slow];
        Assert.Equal("[Fast, Slow]", ParamText.FormatList<Speed, ParamCodecs.Enum<Speed>>(speeds));
        Assert.Equal(speeds, ParamText.ParseList<Speed, ParamCodecs.Enum<Speed>>("[Fast, Slow]", "k"));

        decimal[] money = [0.10m, 2m];
        Assert.Equal("[Decimal('0.10'), Decimal('2')]", ParamText.FormatList<decimal, ParamCodecs.Decimal>(money));
        Assert.Equal(ParamValue.Format(money), ParamText.FormatList<decimal, ParamCodecs.Decimal>(money));
        Assert.Equal(money, ParamText.ParseList<decimal, ParamCodecs.Decimal>("[Decimal('0.10'), Decimal('2')]", "k"));

        DateTime[] days = [new(2021, 1, 4), new DateTime(2021, 1, 4, 9, 30, 5).AddTicks(70)];
        var d = ParamText.FormatList<DateTime, ParamCodecs.DateTime>(days);
        Assert.Equal(ParamValue.Format(days), d);
        Assert.Equal(days, ParamText.ParseList<DateTime, ParamCodecs.DateTime>(d, "k"));

        Assert.Equal("[]", ParamText.FormatList<int, ParamCodecs.Int32>([]));
        Assert.Empty(ParamText.ParseList<int, ParamCodecs.Int32>("[]", "k")!);
        Assert.Equal("None", ParamText.FormatList<int, ParamCodecs.Int32>(null));
        Assert.Null(ParamText.ParseList<int, ParamCodecs.Int32>("None", "k"));
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("[1, 2")]
    [InlineData("[1, 'a']")]
    public void Malformed_InvalidParameter_NamingTheKey(string text)
    {
        var e = Assert.Throws<TrackingException>(() => ParamText.ParseList<int, ParamCodecs.Int32>(text, "model.kwargs.sizes"));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("model.kwargs.sizes", e.Message);
    }
}
