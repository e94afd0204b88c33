using static Qlib.Tracked.Analyzers.Tests.AnalyzerTestHelper;

namespace Qlib.Tracked.Analyzers.Tests;

/// <summary>A model whose names the usage tests refer to.</summary>
internal static class UsageSources
{
    public const string Model = """
        [assembly: KnownTrackingNames(TrackingNameKind.Tag, "hostname")]
        [assembly: KnownTrackingNames(TrackingNameKind.Artifact, "extra/table.bin")]

        [MemoryPackable] public sealed partial class Weights { public double[] W { get; set; } = []; }

        [Tracked] public partial class Model
        {
            [Param] public double LearningRate { get; init; }
            [Param("num_leaves")] public int Leaves { get; init; }
            [Metric("IC")] public double Ic { get; set; }
            [Metric] public double Loss { get; set; }
            [Artifact("pred.parquet")] public PredictionFrame? Pred { get; set; }
            [Artifact("model")] public Weights? Fitted { get; set; }
            [Artifact("sig/notes.txt")] public string? Notes { get; set; }
        }

        """;

    public static string Use(string body) => Model + "public static class Use\n{\n    public static void Run(Recorder rec, TrackingClient client, Experiment exp, IRunReader reader)\n    {\n" + body + "\n    }\n}\n";
}

public class QTRK901_UnknownMetricNameTests
{
    [Fact]
    public void QTRK901_Misspelled_Reported()
    {
        var diagnostics = Verify(UsageSources.Use("""
                    R.LogMetrics(({|QTRK901:"icc"|}, 0.1), ("loss", 1.0));
                    rec.LogMetric({|QTRK901:"los"|}, 1.0);
                    client.GetMetricHistory("run", {|QTRK901:"my_metric"|});
            """), "QTRK901");
        Assert.Contains(diagnostics, d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture) == "Metric name 'icc' is not known; did you mean 'IC'?");
        Assert.Contains(diagnostics, d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).StartsWith("Metric name 'my_metric' is not known: no [Tracked] member", StringComparison.Ordinal));
    }

    [Fact]
    public void QTRK901_KnownNames_Clean() => Verify(UsageSources.Use("""
                R.LogMetrics(("IC", 0.1), (Model.Names.Loss, 1.0), ("Rank IC", 0.2), ("1day.excess_return_with_cost.max_drawdown", -0.1));
                rec.LogMetrics(3, (RecordMetrics.ICIR, 1.0));
                rec.GetMetricHistory("loss");
                var name = Pick(); rec.LogMetric(name, 1.0);
                static string Pick() => "anything";
        """), "QTRK901");

    [Fact]
    public async Task QTRK901_Fix_ReplacesWithNearest()
    {
        var source = UsageSources.Use("""        R.LogMetrics(("icc", 0.1));""");
        var fixedText = await ApplyFix(source, "QTRK901");
        Assert.Equal(source.Replace("(\"icc\", 0.1)", "(\"IC\", 0.1)"), fixedText);
    }
}

public class QTRK902_UnknownParamNameTests
{
    [Fact]
    public void QTRK902_Misspelled_Reported() => Verify(UsageSources.Use("""
                R.LogParams(({|QTRK902:"learning_rte"|}, 0.01));
                client.LogParam("run", {|QTRK902:"num_leafs"|}, 31);
        """), "QTRK902");

    [Fact]
    public void QTRK902_Known_Clean() => Verify(UsageSources.Use("""
                R.LogParams(("learning_rate", 0.01), ("num_leaves", 31));
        """), "QTRK902");

    [Fact]
    public async Task QTRK902_Fix_ReplacesWithNearest()
    {
        var source = UsageSources.Use("""        R.LogParams(("learning_rte", 0.01));""");
        Assert.Contains("(\"learning_rate\", 0.01)", await ApplyFix(source, "QTRK902"));
    }
}

public class QTRK903_UnknownTagNameTests
{
    [Fact]
    public void QTRK903_Misspelled_Reported() => Verify(UsageSources.Use("""
                R.SetTags(({|QTRK903:"hostnme"|}, "box"), ({|QTRK903:"mlflow.runNme"|}, "x"));
                R.DeleteTags({|QTRK903:"hostame"|});
                client.SetTag("run", {|QTRK903:"owner"|}, "me");
        """), "QTRK903");

    [Fact]
    public void QTRK903_KnownAndReserved_Clean() => Verify(UsageSources.Use("""
                R.SetTags(("hostname", "box"), (MlflowTags.RunName, "x"), ("mlflow.source.git.diff", "d"));
                client.DeleteTag("run", "hostname");
        """), "QTRK903");
}

public class QTRK904_UnknownArtifactNameTests
{
    [Fact]
    public void QTRK904_Unknown_Reported() => Verify(UsageSources.Use("""
                rec.LoadObject<PredictionFrame>({|QTRK904:"pred.pkl"|});
                reader.HasArtifact({|QTRK904:"modle"|});
                rec.DownloadArtifact({|QTRK904:"sigs"|});
        """), "QTRK904");

    [Fact]
    public void QTRK904_KnownFolderAndSaved_Clean() => Verify(UsageSources.Use("""
                rec.LoadObject<PredictionFrame>("pred.parquet");
                rec.LoadObject<PredictionFrame>(RecordArtifacts.Pred);
                reader.HasArtifact("./model");
                rec.DownloadArtifact("sig");
                rec.DownloadArtifact("extra/table.bin");
                rec.SaveObject("brand_new.bin", new byte[1]);
        """), "QTRK904");

    [Fact]
    public async Task QTRK904_Fix_ReplacesExtension()
    {
        var source = UsageSources.Use("""        rec.LoadObject<PredictionFrame>("pred.pkl");""");
        Assert.Contains("rec.LoadObject<PredictionFrame>(\"pred.parquet\");", await ApplyFix(source, "QTRK904"));
    }
}

public class QTRK905_InvalidNameTests
{
    [Fact]
    public void QTRK905_NeverValid_Reported() => Verify(UsageSources.Use("""
                R.LogMetrics(({|QTRK905:"bad!name"|}, 1.0));
                R.LogParams(({|QTRK905:"/abs"|}, 1));
                R.SetTags(({|QTRK905:""|}, "x"));
                rec.LoadObject<string>({|QTRK905:"../outside.txt"|});
                rec.SaveObject({|QTRK905:@"a\b"|}, "text");
        """), "QTRK905");

    [Fact]
    public void QTRK905_Valid_Clean() => Verify(UsageSources.Use("""
                R.LogMetrics(("valid/name: ok-1.0", 1.0));
                rec.SaveObject("sub/dir/x.txt", "text");
        """), "QTRK905");
}

public class QTRK906_ArtifactTypeMismatchTests
{
    [Fact]
    public void QTRK906_WrongType_Reported() => Verify(UsageSources.Use("""
                rec.LoadObject<string>({|QTRK906:"pred.parquet"|});
                reader.LoadArtifact<Weights>({|QTRK906:"sig/notes.txt"|}, null!);
        """), "QTRK906");

    [Fact]
    public void QTRK906_RightType_Clean() => Verify(UsageSources.Use("""
                rec.LoadObject<PredictionFrame>("pred.parquet");
                rec.LoadObject<Weights?>("model");
                rec.LoadObject<object>("model");
                rec.LoadObject<string>("unlisted/x.txt");
        """), "QTRK906");
}
