using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Tests.Workflow;

/// <summary>The full search grammar reaches users through R.SearchRecords, Experiment.ListRecorders/SearchRecords and the client.</summary>
[Collection("ambient R")]
public sealed class SearchRecordsTests : IDisposable
{
    private readonly TempStore _store = new();
    private readonly QlibRecorder _previous;
    private readonly Dictionary<string, string> _ids = new(StringComparer.Ordinal);
    private readonly Experiment _experiment;

    public SearchRecordsTests()
    {
        _previous = R.Current;
        _previous.EndExp(RunStatus.Failed);
        R.Register(_store.Recorder());
        (string Name, double Lr, double Ic, string Model)[] runs =
        [
            ("lgb-a", 0.01, 0.05, "LGBModel"), ("lgb-b", 0.1, 0.02, "LGBModel"), ("xgb", 0.01, double.NaN, "XGBModel"), ("linear", 0.5, -0.01, "Linear"),
        ];
        foreach (var run in runs)
        {
            R.Run(exp =>
            {
                _ids[run.Name] = exp.ActiveRecorder!.Id!;
                R.LogParams(("model.kwargs.lr", run.Lr), ("model.class", run.Model));
                R.LogMetrics(0, ("IC", run.Ic - 1));
                R.LogMetrics(1, ("IC", run.Ic));
                R.SetTags(("stage", run.Name == "linear" ? "baseline" : "candidate"));
            }, experimentName: "workflow", recorderName: run.Name);
            Thread.Sleep(3); // distinct start times
        }
        _experiment = R.GetExp(experimentName: "workflow", create: false);
    }

    public void Dispose()
    {
        try { R.EndExp(RunStatus.Failed); } catch (TrackingException) { }
        R.Register(_previous);
        _store.Dispose();
    }

    [Fact]
    public void R_SearchRecords_FilterOrderAndMax()
    {
        var found = R.SearchRecords([_experiment.Id], "params.`model.kwargs.lr` = '0.01' AND tags.stage = 'candidate'", orderBy: ["metrics.IC DESC"]);
        Assert.Equal(["lgb-a", "xgb"], found.Select(r => r.Info.RunName));                      // NaN after numbers
        Assert.Equal(["linear", "lgb-b"], R.SearchRecords([_experiment.Id], "metrics.IC < 0.03", orderBy: ["metrics.IC"]).Select(r => r.Info.RunName));
        Assert.Equal(["lgb-a"], R.SearchRecords([_experiment.Id], "params.model.class ILIKE 'lgb%'", maxResults: 1, orderBy: ["metrics.IC DESC"])
            .Select(r => r.Info.RunName));
        var ids = $"('{_ids["xgb"]}', '{_ids["linear"]}')";
        Assert.Equal(["linear", "xgb"], R.SearchRecords([_experiment.Id], $"run_id IN {ids}").Select(r => r.Info.RunName));
        var error = Assert.Throws<TrackingException>(() => R.SearchRecords([_experiment.Id], "metrics.IC > 0 OR params.x = 'y'"));
        Assert.Contains("Invalid clause(s) in filter string: 'OR'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Experiment_ListRecordersAndSearchRecords_PassTheFilter()
    {
        Assert.Equal(["xgb", "lgb-a"], _experiment.ListRecorders(filter: "params.`model.kwargs.lr` = '0.01'").Values.Select(r => r.Name));
        Assert.Equal(["lgb-b"], _experiment.ListRecorders(filter: "metrics.IC != 0.05 AND attributes.run_name LIKE 'lgb-_'").Values.Select(r => r.Name));
        Assert.Equal(["linear", "lgb-b", "lgb-a", "xgb"], _experiment.SearchRecords(orderBy: ["metrics.IC ASC"]).Select(r => r.Info.RunName));
        Assert.Equal(2, _experiment.SearchRecords(maxResults: 2).Count);
    }

    [Fact]
    public void Client_SearchExperiments_ByNameAndTag()
    {
        var client = R.Current.ExperimentManager.Client;
        Assert.Equal(["workflow"], client.SearchExperiments("name LIKE 'work%'").Items.Select(e => e.Name));
        Assert.Empty(client.SearchExperiments("name = 'nope'").Items);
        Assert.Throws<TrackingException>(() => client.SearchExperiments("name = 'a'", maxResults: 0));
    }
}
