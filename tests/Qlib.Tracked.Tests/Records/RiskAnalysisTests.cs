using Qlib.Tracked.Analysis;
using static Qlib.Tracked.Tests.Records.QlibVectors;

namespace Qlib.Tracked.Tests.Records;

public class RiskAnalysisTests
{
    [Theory]
    [InlineData("day", 238.0)]
    [InlineData("1day", 238.0)]
    [InlineData("D", 238.0)]
    [InlineData("week", 50.0)]
    [InlineData("1w", 50.0)]
    [InlineData("month", 12.0)]
    [InlineData("mon", 12.0)]
    [InlineData("5min", 11424.0)]
    [InlineData("30min", 1904.0)]
    [InlineData("minute", 57120.0)]
    [InlineData("3day", 238.0 / 3)]
    public void Scaler_FromFreq_AsQlibParsesIt(string freq, double n) => Assert.Equal(n, RiskAnalysis.Scaler(null, freq));

    [Fact]
    public void Scaler_NWinsOverFreq_BothNullOrBadFreqThrow()
    {
        Assert.Equal(252, RiskAnalysis.Scaler(252, "day"));
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<TrackingException>(() => RiskAnalysis.Scaler(null, null)).Code);
        Assert.Contains("'hour'", Assert.Throws<TrackingException>(() => RiskAnalysis.Scaler(null, "hour")).Message);
        Assert.Throws<TrackingException>(() => RiskAnalysis.Scaler(null, "0day"));
    }

    [Fact]
    public void Product_NaNInside_CurveCarriesOn_LenCountsIt_StdSkipsIt()
    {
        double[] r = [0.1, double.NaN, -0.05, 0.02];
        var result = RiskAnalysis.Compute(r, mode: RiskAnalysisMode.Product);
        var last = 1.1 * 0.95 * 1.02;
        Close(Math.Pow(last, 1.0 / 4) - 1, result.Mean, "mean");
        Close(Math.Pow(last, 238.0 / 4) - 1, result.AnnualizedReturn, "annualized");
        double[] logs = [Math.Log(1.1), Math.Log(0.95), Math.Log(1.02)];
        var m = logs.Average();
        var std = Math.Sqrt(logs.Sum(v => (v - m) * (v - m)) / 2);
        Close(std, result.Std, "std");
        Close((Math.Pow(last, 0.25) - 1) / std * Math.Sqrt(238), result.InformationRatio, "ir");
        Close(1.1 * 0.95 / 1.1 - 1, result.MaxDrawdown, "max drawdown"); // -0.05 at the third point
    }

    [Fact]
    public void Product_NaNLast_MakesMeanAndAnnualizedNaN_DrawdownStillFromTheRest()
    {
        var result = RiskAnalysis.Compute([0.1, -0.05, double.NaN], mode: RiskAnalysisMode.Product);
        Assert.True(double.IsNaN(result.Mean));
        Assert.True(double.IsNaN(result.AnnualizedReturn));
        Assert.True(double.IsNaN(result.InformationRatio));
        Assert.False(double.IsNaN(result.Std));
        Close(0.95 - 1, result.MaxDrawdown, "max drawdown");
    }

    [Fact]
    public void Sum_NaNInside_IsSkipped_DrawdownOfTheSummedCurve()
    {
        var result = RiskAnalysis.Compute([0.1, double.NaN, -0.05, 0.02], n: 252, freq: null);
        Close(0.07 / 3, result.Mean, "mean");
        Close(0.07 / 3 * 252, result.AnnualizedReturn, "annualized");
        Close(-0.05, result.MaxDrawdown, "max drawdown");
        Assert.Equal(252, result.N);
    }

    [Fact]
    public void Empty_OrAllNaN_IsNaN()
    {
        foreach (var mode in new[] { RiskAnalysisMode.Sum, RiskAnalysisMode.Product })
        {
            var r = RiskAnalysis.Compute([double.NaN, double.NaN], mode: mode);
            Assert.True(double.IsNaN(r.Mean) && double.IsNaN(r.Std) && double.IsNaN(r.MaxDrawdown));
            Assert.True(double.IsNaN(RiskAnalysis.Compute([], mode: mode).Mean));
        }
    }

    [Fact]
    public void ComputeTable_HasQlibsRowsInOrder()
    {
        var table = RiskAnalysis.ComputeTable([0.01, -0.02, 0.03]);
        Assert.Equal(["mean", "std", "annualized_return", "information_ratio", "max_drawdown"], table.Metric);
        Assert.Equal(RiskAnalysis.Compute([0.01, -0.02, 0.03]).AnnualizedReturn, table.Get("", "annualized_return"));
    }
}
