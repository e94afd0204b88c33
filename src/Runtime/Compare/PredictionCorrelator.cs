using Qlib.Tracked.Analysis;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Frames;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Compare;

/// <summary>
/// Correlates the predictions of several runs (SignalRecord's <c>pred.parquet</c>, a
/// <see cref="PredictionFrame"/>): do two models rank the same stocks the same way?
/// Stateless; thread-safe.
/// </summary>
/// <remarks>
/// Rows are matched on (datetime, instrument) with an inner join over all frames, as
/// <c>pd.concat([...], axis=1, join="inner").corr()</c> would. A NaN score drops that row from the pairs it
/// belongs to only (pandas' pairwise-complete rule), and Spearman ranks each pair's complete rows. A frame
/// holding the same (datetime, instrument) twice is refused: a join would silently multiply its rows.
/// </remarks>
public static class PredictionCorrelator
{
    /// <summary>Correlates frames already loaded; <paramref name="frames"/> pairs a label with each frame.</summary>
    public static PredictionCorrelation Correlate(
        IReadOnlyList<(string Label, PredictionFrame Frame)> frames,
        CorrelationMethod method = CorrelationMethod.Pearson)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count < 2)
            throw TrackingException.InvalidParameter($"A prediction correlation needs at least two runs' predictions; {frames.Count} given.");
        if (!Enum.IsDefined(method))
            throw TrackingException.InvalidParameter($"Unknown correlation method {(int)method}; use Pearson or Spearman.");

        var scores = JoinOnRows(frames);
        var n = frames.Count;
        var matrix = new double[n][];
        for (var i = 0; i < n; i++) matrix[i] = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = i; j < n; j++)
            {
                var r = PairCorrelation(scores[i], scores[j], method);
                matrix[i][j] = r;
                matrix[j][i] = r;
            }
        }
        var common = n == 0 ? 0 : scores[0].Length;
        return new PredictionCorrelation(frames.Select(f => f.Label).ToArray(), method, common, matrix);
    }

    /// <summary>
    /// Loads each run's <c>pred.parquet</c> from <paramref name="store"/> and correlates them, labelled by
    /// run id. A run without predictions is RESOURCE_DOES_NOT_EXIST naming the run.
    /// </summary>
    public static PredictionCorrelation Correlate(
        ITrackingStore store,
        IReadOnlyList<string> runIds,
        CorrelationMethod method = CorrelationMethod.Pearson)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(runIds);
        var frames = runIds.Select(runId => (runId, LoadPredictions(store, runId))).ToArray();
        return Correlate(frames, method);
    }

    /// <summary>A run's SignalRecord predictions (<see cref="RecordArtifacts.Pred"/>).</summary>
    public static PredictionFrame LoadPredictions(ITrackingStore store, string runId)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.GetRun(runId); // an unknown run is the store's typed error, not a missing artifact
        var repository = store.GetArtifactRepository(runId);
        if (!HasArtifact(repository, RecordArtifacts.Pred))
            throw TrackingException.DoesNotExist(
                $"Run '{runId}' has no '{RecordArtifacts.Pred}' artifact; only runs with SignalRecord predictions can be correlated.");
        return ArtifactObjects.Read(repository, RecordArtifacts.Pred, new ParquetTableSerializer<PredictionFrame>());
    }

    /// <summary>True when the run stored SignalRecord predictions (what decides whether a compare can show a correlation).</summary>
    public static bool HasPredictions(ITrackingStore store, string runId) =>
        HasArtifact(store.GetArtifactRepository(runId), RecordArtifacts.Pred);

    private static bool HasArtifact(IArtifactRepository repository, string path) => repository.Exists(path);

    /// <summary>Scores of the rows every frame has, one array per frame, rows in the first frame's order.</summary>
    private static double[][] JoinOnRows(IReadOnlyList<(string Label, PredictionFrame Frame)> frames)
    {
        var lookups = new Dictionary<(DateTime, string), double>[frames.Count];
        for (var f = 0; f < frames.Count; f++)
        {
            var (label, frame) = frames[f];
            ArgumentNullException.ThrowIfNull(frame);
            var lookup = new Dictionary<(DateTime, string), double>(frame.RowCount);
            for (var i = 0; i < frame.RowCount; i++)
            {
                if (!lookup.TryAdd((frame.Datetime[i], frame.Instrument[i]), frame.Score[i]))
                    throw TrackingException.InvalidParameter(
                        $"The predictions of '{label}' hold ({frame.Datetime[i]:yyyy-MM-dd HH:mm:ss}, {frame.Instrument[i]}) more than once; " +
                        "each (datetime, instrument) must have one score to be joined.");
            }
            lookups[f] = lookup;
        }

        var first = frames[0].Frame;
        var columns = new List<double>[frames.Count];
        for (var f = 0; f < frames.Count; f++) columns[f] = new List<double>();
        for (var i = 0; i < first.RowCount; i++)
        {
            var key = (first.Datetime[i], first.Instrument[i]);
            if (!lookups.All(l => l.ContainsKey(key))) continue;
            for (var f = 0; f < frames.Count; f++) columns[f].Add(lookups[f][key]);
        }
        return columns.Select(c => c.ToArray()).ToArray();
    }

    private static double PairCorrelation(double[] x, double[] y, CorrelationMethod method)
    {
        var xs = new List<double>(x.Length);
        var ys = new List<double>(y.Length);
        for (var i = 0; i < x.Length; i++)
        {
            if (double.IsNaN(x[i]) || double.IsNaN(y[i])) continue;
            xs.Add(x[i]);
            ys.Add(y[i]);
        }
        var a = xs.ToArray();
        var b = ys.ToArray();
        if (method == CorrelationMethod.Spearman)
        {
            a = Ranks(a);
            b = Ranks(b);
        }
        return Stats.Pearson(a, b);
    }

    private static double[] Ranks(double[] values)
    {
        var ranks = new double[values.Length];
        Stats.AverageRanks(values, ranks, new double[values.Length], new int[values.Length]);
        return ranks;
    }
}
