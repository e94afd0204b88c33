using static Qlib.Tracked.Analyzers.Tests.AnalyzerTestHelper;

namespace Qlib.Tracked.Analyzers.Tests;

public class QTRK201_MetricTypeUnsupportedTests
{
    [Fact]
    public void QTRK201_NonNumeric_Reported() => Verify("""
        [Tracked] public partial class Model
        {
            [Metric] public string {|QTRK201:Note|} { get; set; } = "";
            [Metric] public decimal {|QTRK201:Money|} { get; set; }
            [Metric] public bool {|QTRK201:Flag|} { get; set; }
        }
        """, "QTRK201");

    [Fact]
    public void QTRK201_Numeric_Clean() => Verify("""
        [Tracked] public partial class Model
        {
            [Metric] public double A { get; set; }
            [Metric] public float B { get; set; }
            [Metric] public int C { get; set; }
            [Metric] public long? D { get; set; }
        }
        """, "QTRK201");
}

public class QTRK202_DuplicateMetricKeyTests
{
    [Fact]
    public void QTRK202_Duplicate_Reported() => Verify("""
        [Tracked] public partial class Model
        {
            [Metric("IC")] public double Ic { get; set; }
            [Metric({|QTRK202:"IC"|})] public double Ic2 { get; set; }
            [Metric] public double ValidLoss { get; set; }
            [Metric] public double {|QTRK202:Valid_Loss|} { get; set; }
        }
        """, "QTRK202");

    [Fact]
    public void QTRK202_CaseDiffers_Clean() => Verify("""
        [Tracked] public partial class Model { [Metric("IC")] public double A { get; set; } [Metric] public double Ic { get; set; } }
        """, "QTRK202");
}

public class QTRK203_InvalidMetricKeyTests
{
    [Fact]
    public void QTRK203_Bad_Reported() => Verify("""
        [Tracked] public partial class Model
        {
            [Metric({|QTRK203:"ic@5d"|})] public double A { get; set; }
            [Metric({|QTRK203:"sig/./ic"|})] public double B { get; set; }
        }
        """, "QTRK203");

    [Fact]
    public void QTRK203_QlibNames_Clean() => Verify("""
        [Tracked] public partial class Model
        {
            [Metric("Rank ICIR")] public double A { get; set; }
            [Metric("1day.excess_return_with_cost.annualized_return")] public double B { get; set; }
            [Metric("Long-Short Ann Return")] public double C { get; set; }
        }
        """, "QTRK203");
}

public class QTRK204_MetricNotReadableTests
{
    [Fact]
    public void QTRK204_Unreadable_Reported() => Verify("""
        [Tracked] public partial class Model
        {
            private double _x;
            [Metric] public double {|QTRK204:Sink|} { set => _x = value; }
            [Metric] public static double {|QTRK204:Global|};
        }
        """, "QTRK204");

    [Fact]
    public void QTRK204_Readable_Clean() => Verify("""
        [Tracked] public partial class Model { [Metric] public double Loss { get; private set; } [Metric] private double _ic; }
        """, "QTRK204");
}

public class QTRK301_ArtifactTypeUnsupportedTests
{
    [Fact]
    public void QTRK301_NoSerializer_Reported() => Verify("""
        public sealed class Weights { public double[] W { get; set; } = []; }
        [Tracked] public partial class Model
        {
            [Artifact("model")] public Weights? {|QTRK301:Fitted|} { get; set; }
            [Artifact("count")] public int? {|QTRK301:Count|} { get; set; }
            [Artifact("list")] public List<string>? {|QTRK301:Lines|} { get; set; }
        }
        """, "QTRK301");

    [Fact]
    public void QTRK301_Supported_Clean() => Verify("""
        [MemoryPackable] public sealed partial class Weights { public double[] W { get; set; } = []; }
        [Tracked] public partial class Model
        {
            [Artifact("model")] public Weights? Fitted { get; set; }
            [Artifact("pred.parquet")] public PredictionFrame? Pred { get; set; }
            [Artifact("notes.txt")] public string? Notes { get; set; }
            [Artifact("blob.bin")] public byte[]? Blob { get; set; }
        }
        """, "QTRK301");
}

public class QTRK302_ArtifactNameCollisionTests
{
    [Fact]
    public void QTRK302_SameAndFolder_Reported() => Verify("""
        [Tracked] public partial class Model
        {
            [Artifact("notes.txt")] public string? A { get; set; }
            [Artifact({|QTRK302:"./notes.txt"|})] public string? B { get; set; }
            [Artifact("report")] public string? C { get; set; }
            [Artifact({|QTRK302:"report/summary.txt"|})] public string? D { get; set; }
        }
        """, "QTRK302");

    [Fact]
    public void QTRK302_Distinct_Clean() => Verify("""
        [Tracked] public partial class Model
        {
            [Artifact("report/a.txt")] public string? A { get; set; }
            [Artifact("report/b.txt")] public string? B { get; set; }
            [Artifact("reports.txt")] public string? C { get; set; }
        }
        """, "QTRK302");
}

public class QTRK303_InvalidArtifactNameTests
{
    [Fact]
    public void QTRK303_Bad_Reported() => Verify("""
        [Tracked] public partial class Model
        {
            [Artifact({|QTRK303:""|})] public string? A { get; set; }
            [Artifact({|QTRK303:"/etc/passwd"|})] public string? B { get; set; }
            [Artifact({|QTRK303:"../up.txt"|})] public string? C { get; set; }
            [Artifact({|QTRK303:@"sig\ic.txt"|})] public string? D { get; set; }
            [Artifact({|QTRK303:"."|})] public string? E { get; set; }
        }
        """, "QTRK303");

    [Fact]
    public void QTRK303_Good_Clean() => Verify("""
        [Tracked] public partial class Model { [Artifact("sig_analysis/ic.txt")] public string? A { get; set; } }
        """, "QTRK303");
}

public class QTRK304_ArtifactNotReadableTests
{
    [Fact]
    public void QTRK304_Unreadable_Reported() => Verify("""
        [Tracked] public partial class Model
        {
            private string? _x;
            [Artifact("a.txt")] public string? {|QTRK304:Sink|} { set => _x = value; }
            [Artifact("b.txt")] public static string? {|QTRK304:Shared|};
        }
        """, "QTRK304");

    [Fact]
    public void QTRK304_Readable_Clean() => Verify("""
        [Tracked] public partial class Model { [Artifact("a.txt")] public string? Notes { get; private set; } }
        """, "QTRK304");
}

public class QTRK401_PredictMethodUnsupportedTests
{
    [Fact]
    public void QTRK401_BadShapes_Reported() => Verify("""
        [Tracked] public partial class Model
        {
            [Predict] public double[] {|QTRK401:Scores|}(double[] x) => x;
            [Predict] public PredictionFrame {|QTRK401:Two|}(double[] x, int y) => throw null!;
            [Predict] public static PredictionFrame {|QTRK401:Static|}(double[] x) => throw null!;
            [Predict] public PredictionFrame {|QTRK401:ByRef|}(ref double[] x) => throw null!;
        }
        """, "QTRK401");

    [Fact]
    public void QTRK401_Good_Clean() => Verify("""
        [Tracked] public partial class Model { [Predict] public PredictionFrame Predict(double[] x) => throw null!; }
        """, "QTRK401");
}

public class QTRK402_MultiplePredictMethodsTests
{
    [Fact]
    public void QTRK402_Second_Reported() => Verify("""
        [Tracked] public partial class Model
        {
            [Predict] public PredictionFrame Predict(double[] x) => throw null!;
            [Predict] public PredictionFrame {|QTRK402:PredictAgain|}(float[] x) => throw null!;
        }
        """, "QTRK402");

    [Fact]
    public void QTRK402_FirstValidAfterInvalid_Clean() => Verify("""
        [Tracked] public partial class Model
        {
            [Predict] public double Bad(double[] x) => 0;
            [Predict] public PredictionFrame Predict(double[] x) => throw null!;
        }
        """, "QTRK402");
}
