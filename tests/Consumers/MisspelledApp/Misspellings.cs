using Qlib.Tracked;
using Qlib.Tracked.Client;

[assembly: KnownTrackingNames(TrackingNameKind.Tag, "hostname")]

namespace TrackedApp;

// Added to a copy of TrackedApp by tests/Consumers/run-consumers.sh: names misspelled on purpose. Each line marked
// "expect QTRKnnn[: text]" must be reported as a warning at that line with that id (and text), and as an error under
// -warnaserror; no other QTRK diagnostic may appear. The names come from LinearModel's [Tracked] schema, the record
// templates (IC, pred.parquet) and the assembly attribute above.
public static class Misspellings
{
    public static void Run(Recorder recorder, TrackingClient client)
    {
        R.LogMetrics(("train_icc", 0.05));                                    // expect QTRK901: did you mean 'train_ic'?
        recorder.GetMetricHistory("los");                                     // expect QTRK901: did you mean 'loss'?
        R.LogParams(("learning_rte", 0.1));                                   // expect QTRK902: did you mean 'learning_rate'?
        R.SetTags(("hostnme", "box"));                                        // expect QTRK903: did you mean 'hostname'?
        recorder.LoadObject<string>("note.txt");                              // expect QTRK904: did you mean 'notes.txt'?
        client.SearchRuns(["1"], "params.learning_rte = '0.1'");             // expect QTRK916: did you mean 'learning_rate'?
        client.SearchRuns(["1"], "metrics.ICC > 0.05");                       // expect QTRK916: did you mean 'IC'?
    }
}
