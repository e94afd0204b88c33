using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Stores.Search;

namespace Qlib.Tracked.Tests;

public sealed class SearchRunsTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FileStore _store;
    private readonly string _experimentId;

    public SearchRunsTests()
    {
        _store = new FileStore(_temp.Combine("mlruns"));
        _experimentId = _store.CreateExperiment("search");
        // name, start, lr param, loss metric (null = none), status
        (string Name, long Start, string? Lr, double? Loss, RunStatus Status)[] runs =
        [
            ("r1", 100, "0.01", 0.5, RunStatus.Finished),
            ("r2", 200, "0.1", 0.2, RunStatus.Finished),
            ("r3", 300, "0.01", null, RunStatus.Failed),
            ("r4", 400, null, double.NaN, RunStatus.Finished),
            ("r5", 500, "0.5", 0.9, RunStatus.Running),
        ];
        foreach (var r in runs)
        {
            var id = _store.CreateRun(_experimentId, "u", r.Start, [new RunTag("team", r.Name == "r1" ? "a b" : "t")], r.Name).Info.RunId;
            _store.LogBatch(id,
                r.Loss is { } loss ? [new Metric("loss", loss, r.Start, 0), new Metric("train/acc", r.Start / 1000.0, r.Start, 0)] : [],
                r.Lr is { } lr ? [new Param("lr", lr)] : [], []);
            if (r.Status != RunStatus.Running) _store.UpdateRunInfo(id, r.Status, r.Start + 10, null);
        }
    }

    public void Dispose() => _temp.Dispose();

    private string[] Names(string? filter, params string[] orderBy) =>
        _store.SearchRuns([_experimentId], filter, ViewType.ActiveOnly, 1000, orderBy, null).Items.Select(r => r.Info.RunName).ToArray();

    [Fact]
    public void NoFilter_NaturalOrderIsStartTimeDesc() => Assert.Equal(["r5", "r4", "r3", "r2", "r1"], Names(null));

    [Theory]
    [InlineData("params.lr = '0.01'", new[] { "r3", "r1" })]
    [InlineData("params.lr = \"0.01\"", new[] { "r3", "r1" })]
    [InlineData("param.lr != '0.01'", new[] { "r5", "r2" })]                  // runs without lr never match
    [InlineData("metrics.loss < 0.5", new[] { "r2" })]
    [InlineData("metrics.loss <= 0.5", new[] { "r2", "r1" })]
    [InlineData("metrics.loss != 0.2", new[] { "r5", "r4", "r1" })]          // NaN matches only !=
    [InlineData("metrics.loss > 0", new[] { "r5", "r2", "r1" })]
    [InlineData("metrics.loss >= 0.9", new[] { "r5" })]
    [InlineData("metrics.loss = 0.2", new[] { "r2" })]
    [InlineData("metrics.`train/acc` > 0.15", new[] { "r5", "r4", "r2" })]
    [InlineData("tags.team = 'a b'", new[] { "r1" })]
    [InlineData("tags.\"team\" != 'a b'", new[] { "r5", "r4", "r3", "r2" })]
    [InlineData("attributes.status = 'FINISHED'", new[] { "r4", "r2", "r1" })]
    [InlineData("status != 'FINISHED'", new[] { "r5", "r3" })]
    [InlineData("attributes.run_name = 'r2'", new[] { "r2" })]
    [InlineData("attributes.user_id = 'u' and metrics.loss < 0.6", new[] { "r2", "r1" })]
    [InlineData("params.lr = '0.01' AND metrics.loss > 0.1", new[] { "r1" })]
    [InlineData("attributes.start_time >= 300", new[] { "r5", "r4", "r3" })]
    [InlineData("attributes.end_time > 0", new[] { "r4", "r3", "r2", "r1" })]
    [InlineData("tags.`mlflow.runName` LIKE 'r%'", new[] { "r5", "r4", "r3", "r2", "r1" })]
    [InlineData("params.lr ILIKE '0._1'", new[] { "r3", "r1" })]
    public void SimpleFilters_MatchLikeMlflow(string filter, string[] expected) => Assert.Equal(expected, Names(filter));

    [Theory]
    [InlineData("metrics.loss < 0.5 OR metrics.loss > 5")]
    [InlineData("metrics.loss < '0.5'")]
    [InlineData("params.lr = 0.01")]
    [InlineData("params.lr > '0.01'")]
    [InlineData("attributes.lifecycle_stage = 'active'")]
    [InlineData("attributes.run_name IN ('a', 'b')")]
    [InlineData("(params.lr = '0.1')")]
    [InlineData("metrics.loss")]
    public void InvalidFilters_AreInvalidParameterValue(string filter) =>
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<TrackingException>(() => Names(filter)).Code);

    [Fact]
    public void OrderBy_Metrics_MissingLastInBothDirections_NaNBeforeMissing()
    {
        Assert.Equal(["r2", "r1", "r5", "r4", "r3"], Names(null, "metrics.loss ASC"));
        Assert.Equal(["r5", "r1", "r2", "r4", "r3"], Names(null, "metrics.loss DESC"));
    }

    [Fact]
    public void OrderBy_Attributes()
    {
        Assert.Equal(["r1", "r2", "r3", "r4", "r5"], Names(null, "attributes.start_time ASC"));
        Assert.Equal(["r5", "r4", "r3", "r2", "r1"], Names(null, "attributes.run_name DESC"));
        Assert.Equal(["r1", "r2", "r3", "r4", "r5"], Names(null, "attributes.end_time"));      // r5 running: end_time missing, last
        Assert.Equal(["r4", "r3", "r2", "r1", "r5"], Names(null, "attributes.end_time DESC"));
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<TrackingException>(() => Names(null, "loss")).Code);
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<TrackingException>(() => Names(null, "metrics.loss DOWN")).Code);
    }

    [Fact]
    public void Paging_UsesMlflowOffsetTokens()
    {
        Assert.Equal("eyJvZmZzZXQiOiAzfQ==", SearchPageToken.Encode(3));
        var first = _store.SearchRuns([_experimentId], null, ViewType.ActiveOnly, 2, null, null);
        Assert.Equal(["r5", "r4"], first.Items.Select(r => r.Info.RunName));
        Assert.Equal(SearchPageToken.Encode(2), first.NextPageToken);
        var second = _store.SearchRuns([_experimentId], null, ViewType.ActiveOnly, 2, null, first.NextPageToken);
        Assert.Equal(["r3", "r2"], second.Items.Select(r => r.Info.RunName));
        var last = _store.SearchRuns([_experimentId], null, ViewType.ActiveOnly, 2, null, second.NextPageToken);
        Assert.Equal(["r1"], last.Items.Select(r => r.Info.RunName));
        Assert.Null(last.NextPageToken);

        Assert.StartsWith("Invalid page token, could not base64-decode",
            Assert.Throws<TrackingException>(() => _store.SearchRuns([_experimentId], null, ViewType.ActiveOnly, 2, null, "garbage!")).Message);
        Assert.Throws<TrackingException>(() => _store.SearchRuns([_experimentId], null, ViewType.ActiveOnly, 50001, null, null));
        Assert.Throws<TrackingException>(() => _store.SearchRuns([_experimentId], null, ViewType.ActiveOnly, 0, null, null));
    }

    [Fact]
    public void ViewType_SelectsDeletedRuns()
    {
        var r1 = _store.SearchRuns([_experimentId], "attributes.run_name = 'r1'", ViewType.ActiveOnly, 10, null, null).Items.Single();
        _store.DeleteRun(r1.Info.RunId);
        Assert.DoesNotContain("r1", Names(null));
        Assert.Equal(["r1"], _store.SearchRuns([_experimentId], null, ViewType.DeletedOnly, 10, null, null).Items.Select(r => r.Info.RunName));
        Assert.Equal(5, _store.SearchRuns([_experimentId], null, ViewType.All, 10, null, null).Items.Count);
    }
}
