using Qlib.Tracked.Web.Records;

namespace Qlib.Tracked.Web.Tests;

/// <summary>How locations and messages are shown, and the report curves' NaN rules, without a server.</summary>
public sealed class PathRedactorAndCurvesTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Locations_InsideTheStoreAreRelative_FromOtherMachinesByLayout_OtherFilesRedacted_RemoteKept()
    {
        var root = Path.Combine(_temp.Path, "mlruns");
        Directory.CreateDirectory(root);
        var redactor = new PathRedactor(root);

        Assert.Equal("./1/abc/artifacts", redactor.PresentLocation("file://" + root + "/1/abc/artifacts", "1", "abc"));
        Assert.Equal("./1/abc/artifacts", redactor.PresentLocation(root + "/1/abc/artifacts", "1", "abc"));
        Assert.Equal("./1/abc/artifacts", redactor.PresentLocation("file:///home/someone/mlruns/1/abc/artifacts", "1", "abc"));
        Assert.Equal("./7", redactor.PresentLocation("file:///home/someone/mlruns/7", "7"));
        Assert.Equal(PathRedactor.Redacted, redactor.PresentLocation("file:///srv/shared/artifacts/xyz", "1", "abc"));
        Assert.Equal(PathRedactor.Redacted, redactor.PresentLocation("/etc", "1"));
        Assert.Equal("s3://bucket/exp/1", redactor.PresentLocation("s3://bucket/exp/1", "1"));

        Assert.Equal("Artifact 'x' does not exist under '<store>/1/abc/artifacts'.",
            redactor.Redact($"Artifact 'x' does not exist under 'file://{root}/1/abc/artifacts'."));
        Assert.Equal("cannot read <store>/1/meta.yaml", redactor.Redact($"cannot read {root}/1/meta.yaml"));
    }

    [Fact]
    public void Curves_SumExcessReturns_AndMeasureDrawdownFromTheRunningPeak_KeepingNaNAsGaps()
    {
        var cumulative = RecordCurves.CumSum([0.01, -0.02, double.NaN, 0.03, -0.01]);
        Assert.Equal(0.01, cumulative[0], 15);
        Assert.Equal(-0.01, cumulative[1], 15);
        Assert.True(double.IsNaN(cumulative[2]));
        Assert.Equal(0.02, cumulative[3], 15);
        Assert.Equal(0.01, cumulative[4], 15);

        var drawdown = RecordCurves.Drawdown(cumulative);
        Assert.Equal(0, drawdown[0]);
        Assert.Equal(-0.02, drawdown[1], 15);
        Assert.True(double.IsNaN(drawdown[2]));
        Assert.Equal(0, drawdown[3]);
        Assert.Equal(-0.01, drawdown[4], 15);
    }
}
