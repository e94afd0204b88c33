using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Stores.Search;

namespace Qlib.Tracked.Tests.Search;

/// <summary>search_experiments: filter, order_by, paging and view types, on a store of experiments with known times and tags.</summary>
public sealed class SearchExperimentsTests
{
    private static ExperimentInfo Exp(string id, string name, long? created, long? updated, params (string, string)[] tags) =>
        new(id, name, $"file:///m/{id}", LifecycleStage.Active, created, updated, tags.ToDictionary(t => t.Item1, t => t.Item2));

    private static readonly ExperimentInfo[] Experiments =
    [
        Exp("0", "Default", 100, 100),
        Exp("11", "lgb_alpha158", 300, 900, ("team", "quant"), ("market", "csi300")),
        Exp("12", "xgb_alpha158", 300, 400, ("team", "quant")),
        Exp("9", "LGB_alpha360", 200, 200, ("team", "ml")),
        Exp("5", "legacy", null, null),                                 // MLflow 1.x meta: no times
    ];

    private static string[] Names(string? filter, IReadOnlyList<string>? orderBy = null) =>
        ExperimentSearch.Apply(Experiments, filter, 1000, orderBy, null).Items.Select(e => e.Name).ToArray();

    [Fact]
    public void DefaultOrder_CreationTimeDesc_ThenIdAsc_MissingLast() =>
        Assert.Equal(["lgb_alpha158", "xgb_alpha158", "LGB_alpha360", "Default", "legacy"], Names(null));

    [Theory]
    [InlineData("name = 'Default'", new[] { "Default" })]
    [InlineData("attribute.name != 'Default'", new[] { "lgb_alpha158", "xgb_alpha158", "LGB_alpha360", "legacy" })]
    [InlineData("name LIKE 'lgb%'", new[] { "lgb_alpha158" })]
    [InlineData("name ILIKE 'lgb%'", new[] { "lgb_alpha158", "LGB_alpha360" })]
    [InlineData("name LIKE '%alpha___'", new[] { "lgb_alpha158", "xgb_alpha158", "LGB_alpha360" })]
    [InlineData("creation_time >= 200", new[] { "lgb_alpha158", "xgb_alpha158", "LGB_alpha360" })]
    [InlineData("creation_time > 2.5e2", new[] { "lgb_alpha158", "xgb_alpha158" })]      // a float, as MLflow compares
    [InlineData("last_update_time < 500 AND creation_time != 100", new[] { "xgb_alpha158", "LGB_alpha360" })]
    [InlineData("creation_time != 0", new[] { "lgb_alpha158", "xgb_alpha158", "LGB_alpha360", "Default" })] // missing never matches
    [InlineData("tags.team = 'quant'", new[] { "lgb_alpha158", "xgb_alpha158" })]
    [InlineData("tag.team != 'quant'", new[] { "LGB_alpha360" })]
    [InlineData("tags.`market` LIKE 'csi%' and tags.team = 'quant'", new[] { "lgb_alpha158" })]
    [InlineData("tags.missing != 'x'", new string[0])]
    public void Filter(string filter, string[] expected) => Assert.Equal(expected, Names(filter));

    [Theory]
    [InlineData(new[] { "name" }, new[] { "Default", "LGB_alpha360", "legacy", "lgb_alpha158", "xgb_alpha158" })]
    [InlineData(new[] { "name DESC" }, new[] { "xgb_alpha158", "lgb_alpha158", "legacy", "LGB_alpha360", "Default" })]
    [InlineData(new[] { "experiment_id" }, new[] { "Default", "lgb_alpha158", "xgb_alpha158", "legacy", "LGB_alpha360" })] // ids are strings
    [InlineData(new[] { "creation_time ASC" }, new[] { "Default", "LGB_alpha360", "xgb_alpha158", "lgb_alpha158", "legacy" })] // tie: experiment_id DESC
    [InlineData(new[] { "creation_time", "experiment_id" }, new[] { "Default", "LGB_alpha360", "lgb_alpha158", "xgb_alpha158", "legacy" })]
    [InlineData(new[] { "last_update_time DESC" }, new[] { "lgb_alpha158", "xgb_alpha158", "LGB_alpha360", "Default", "legacy" })]
    [InlineData(new[] { "attribute.last_update_time" }, new[] { "Default", "LGB_alpha360", "xgb_alpha158", "lgb_alpha158", "legacy" })]
    public void OrderBy(string[] orderBy, string[] expected) => Assert.Equal(expected, Names(null, orderBy));

    [Theory]
    [InlineData("name IN ('Default')", "Only the 'run_id' attribute supports comparison with a list")]
    [InlineData("attributes.name = 'x'", "Invalid entity type 'attributes'. Valid values are ('attribute', 'tag', 'tags')")]
    [InlineData("metrics.loss < 1", "Invalid entity type 'metrics'")]
    [InlineData("experiment_id = '1'", "Invalid attribute key 'experiment_id' specified")]
    [InlineData("lifecycle_stage = 'active'", "Invalid attribute key 'lifecycle_stage' specified")]
    [InlineData("name > 'a'", "Invalid comparator '>'")]
    [InlineData("creation_time > '5'", "Expected numeric value type for numeric attribute: creation_time")]
    [InlineData("name = 'a' OR name = 'b'", "Invalid clause(s) in filter string: 'OR'")]
    public void InvalidFilter(string filter, string message)
    {
        var error = Assert.Throws<TrackingException>(() => Names(filter));
        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("at offset", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tags.team", "Invalid order_by entity: tag")]
    [InlineData("creation_time sideways", "Invalid ordering key in order_by clause 'creation_time sideways'.")]
    [InlineData("start_time", "Invalid attribute key 'start_time' specified")]
    public void InvalidOrderBy(string clause, string message) =>
        Assert.Contains(message, Assert.Throws<TrackingException>(() => Names(null, [clause])).Message, StringComparison.Ordinal);

    [Fact]
    public void Paging()
    {
        var first = ExperimentSearch.Apply(Experiments, null, 2, ["name"], null);
        Assert.Equal(["Default", "LGB_alpha360"], first.Items.Select(e => e.Name));
        Assert.Equal(SearchPageToken.Encode(2), first.NextPageToken);
        var second = ExperimentSearch.Apply(Experiments, null, 2, ["name"], first.NextPageToken);
        Assert.Equal(["legacy", "lgb_alpha158"], second.Items.Select(e => e.Name));
        var last = ExperimentSearch.Apply(Experiments, null, 2, ["name"], second.NextPageToken);
        Assert.Equal(["xgb_alpha158"], last.Items.Select(e => e.Name));
        Assert.Null(last.NextPageToken);
        Assert.Throws<TrackingException>(() => ExperimentSearch.Apply(Experiments, null, 0, null, null));
        Assert.Throws<TrackingException>(() => ExperimentSearch.Apply(Experiments, null, 50_001, null, null));
        Assert.Throws<TrackingException>(() => ExperimentSearch.Apply(Experiments, null, 5, null, "garbage!"));
    }

    [Fact]
    public void FileStore_OnTheMlflowFixture()
    {
        using var fixture = new MlflowFixture();
        var store = fixture.Store;
        Assert.Equal(["qlib_ref_beta", "qlib_ref_alpha", "Default"],
            store.SearchExperiments(null, ViewType.ActiveOnly, 100).Items.Select(e => e.Name));
        Assert.Equal(["qlib_ref_alpha"], store.SearchExperiments("tags.project = 'qlib'", ViewType.ActiveOnly, 100).Items.Select(e => e.Name));
        Assert.Equal(["qlib_ref_alpha", "qlib_ref_beta", "qlib_ref_deleted"],
            store.SearchExperiments("name LIKE 'qlib_ref_%'", ViewType.All, 100, ["name ASC"]).Items.Select(e => e.Name));
        Assert.Equal(["qlib_ref_deleted"], store.SearchExperiments("name LIKE 'qlib%'", ViewType.DeletedOnly, 100).Items.Select(e => e.Name));
        Assert.Equal(["Default"], store.SearchExperiments("creation_time < 1795722050400", ViewType.All, 100).Items.Select(e => e.Name));
        var page = store.SearchExperiments(null, ViewType.All, 3, ["last_update_time DESC"]);
        Assert.Equal(["qlib_ref_deleted", "qlib_ref_beta", "qlib_ref_alpha"], page.Items.Select(e => e.Name));
        Assert.Equal(["Default"], store.SearchExperiments(null, ViewType.All, 3, ["last_update_time DESC"], page.NextPageToken).Items.Select(e => e.Name));

        // the interface's overload reaches the store's, and the old overload still answers
        ITrackingStore asInterface = store;
        Assert.Equal(["qlib_ref_beta"], asInterface.SearchExperiments("name = 'qlib_ref_beta'", ViewType.ActiveOnly, 10).Items.Select(e => e.Name));
        Assert.Equal(3, asInterface.SearchExperiments(ViewType.ActiveOnly).Count);
    }
}
