using Qlib.Tracked;
using Qlib.Tracked.Frames;
using Qlib.Tracked.Client;

[assembly: KnownTrackingNames(TrackingNameKind.Tag, "hostname")]

namespace Misspelled;

[Tracked(Name = "misspelled")]
public sealed partial class LgbModel
{
    [Param] public double LearningRate { get; init; } = 0.1;
    [Param] public int NumLeaves { get; init; } = 31;
    [Metric("IC")] public double Ic { get; set; }
    [Metric] public double Loss { get; set; }
    [Artifact("pred.parquet")] public PredictionFrame? Pred { get; set; }
    [Artifact("notes.txt")] public string? Notes { get; set; }
}

public static class Workflow
{
    public static void Run(Recorder recorder, TrackingClient client)
    {
        R.LogMetrics(("icc", 0.05));                                          // QTRK901: did you mean 'IC'?
        R.LogParams(("learning_rte", 0.1));                                   // QTRK902: did you mean 'learning_rate'?
        R.SetTags(("hostnme", "box"));                                        // QTRK903: did you mean 'hostname'?
        recorder.LoadObject<PredictionFrame>("pred.pkl");                     // QTRK904: did you mean 'pred.parquet'?
        recorder.LogMetric("bad!name", 1.0);                                  // QTRK905
        recorder.LoadObject<string>("pred.parquet");                          // QTRK906: declared as PredictionFrame
        R.SearchRecords(["1"], "metrics.loss");                               // QTRK910
        R.SearchRecords(["1"], "metrics.loss < 0.5 OR metrics.loss > 5");     // QTRK911
        R.SearchRecords(["1"], "params.learning_rate = 0.01");                // QTRK912
        R.SearchRecords(["1"], "metrics.loss < '0.5'");                       // QTRK913
        R.SearchRecords(["1"], "attributes.status IN ('FAILED','KILLED')");   // QTRK914
        R.SearchRecords(["1"], "attributes.lifecycle_stage = 'active'");      // QTRK915
        client.SearchRuns(["1"], "params.learning_rte = '0.1'");             // QTRK916: did you mean 'learning_rate'?
        client.SearchRuns(["1"], "params.learning_rate > '0.01'");            // QTRK917
        client.SearchRuns(["1"], orderBy: ["metrics.loss DOWN"]);             // QTRK918
    }
}
