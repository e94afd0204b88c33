using System.Globalization;
using System.Text.Json;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Backtest;
using Qlib.Tracked.Frames;
using Qlib.Tracked.Records;
using Qlib.Tracked.Web.Records;

namespace Qlib.Tracked.Web.Api;

/// <summary>
/// <c>GET /api/runs/{id}/records</c>: for runs recorded with the record templates, SigAnaRecord's IC and
/// Rank IC series (<c>sig_analysis/ic.parquet</c>, <c>ric.parquet</c>) and PortAnaRecord's report
/// (<c>portfolio_analysis/report_normal_1day.parquet</c>) as cumulative excess return and drawdown, with and
/// without cost. A missing artifact is null; an unreadable one is null with a message saying why.
/// </summary>
internal static class RecordEndpoints
{
    public const string IcPath = RecordArtifacts.SigAnalysisIc;
    public const string RankIcPath = RecordArtifacts.SigAnalysisRankIc;
    public const string ReportPath = RecordArtifacts.PortfolioAnalysisPath + "/" + PortAnaRecord.ReportFile;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/runs/{runId}/records", (string runId, StoreContext context) =>
        {
            var repository = context.Store.GetArtifactRepository(runId);
            var problems = new List<string>();
            var ic = Load<DateSeries>(repository, IcPath, problems, context);
            var rankIc = Load<DateSeries>(repository, RankIcPath, problems, context);
            var report = Load<BacktestReport>(repository, ReportPath, problems, context);
            return new JsonResponse(w =>
            {
                w.WriteStartObject();
                WriteSeries(w, "ic", ic);
                WriteSeries(w, "rank_ic", rankIc);
                if (report is null)
                {
                    w.WriteNull("report");
                }
                else
                {
                    var curves = RecordCurves.From(report);
                    w.WriteStartObject("report");
                    WriteDates(w, report.Datetime);
                    WriteValues(w, "cum_excess_return_without_cost", curves.CumExcessWithoutCost);
                    WriteValues(w, "drawdown_without_cost", curves.DrawdownWithoutCost);
                    WriteValues(w, "cum_excess_return_with_cost", curves.CumExcessWithCost);
                    WriteValues(w, "drawdown_with_cost", curves.DrawdownWithCost);
                    w.WriteEndObject();
                }
                w.WriteStartArray("problems");
                foreach (var problem in problems) w.WriteStringValue(problem);
                w.WriteEndArray();
                w.WriteEndObject();
            });
        });
    }

    private static T? Load<T>(IArtifactRepository repository, string path, List<string> problems, StoreContext context) where T : class
    {
        if (!repository.Exists(path)) return null;
        try
        {
            using var stream = repository.OpenRead(path);
            return ArtifactSerializers.For<T>().Deserialize(stream, path);
        }
        catch (TrackingException e)
        {
            problems.Add(context.Redactor.Redact(e.Message));
            return null;
        }
    }

    private static void WriteSeries(Utf8JsonWriter w, string name, DateSeries? series)
    {
        if (series is null)
        {
            w.WriteNull(name);
            return;
        }
        w.WriteStartObject(name);
        WriteDates(w, series.Datetime);
        WriteValues(w, "values", series.Value);
        JsonWrite.Number(w, "mean", series.Mean());
        JsonWrite.Number(w, "std", series.Std());
        w.WriteEndObject();
    }

    private static void WriteDates(Utf8JsonWriter w, DateTime[] dates)
    {
        w.WriteStartArray("dates");
        foreach (var date in dates)
            w.WriteStringValue(date.ToString(date.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
        w.WriteEndArray();
    }

    /// <summary>Values for charts: NaN and infinities as null (a gap in the line).</summary>
    private static void WriteValues(Utf8JsonWriter w, string name, double[] values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            if (double.IsFinite(value)) w.WriteNumberValue(value);
            else w.WriteNullValue();
        }
        w.WriteEndArray();
    }
}
