using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.Search;

namespace Qlib.Tracked.Tests.Search;

/// <summary>max_results, MLflow's <c>{"offset": N}</c> page tokens and view types, on the MLflow-written fixture.</summary>
public sealed class SearchPagingTests(MlflowFixture fixture) : IClassFixture<MlflowFixture>
{
    private PagedList<Run> Page(int maxResults, string? token, IReadOnlyList<string>? orderBy = null, string? filter = null) =>
        fixture.Store.SearchRuns(fixture.ActiveExperimentIds, filter, ViewType.ActiveOnly, maxResults, orderBy, token);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(8)]
    public void Pages_ConcatenateToTheWholeOrderedResult(int pageSize)
    {
        string[] orderBy = ["metrics.loss DESC", "params.lr"];
        var whole = fixture.Search(null, orderBy).Select(r => r.Info.RunId).ToList();
        Assert.Equal(8, whole.Count);
        var pages = new List<string>();
        string? token = null;
        var requests = 0;
        do
        {
            var page = Page(pageSize, token, orderBy);
            requests++;
            Assert.True(page.Items.Count <= pageSize);
            pages.AddRange(page.Items.Select(r => r.Info.RunId));
            token = page.NextPageToken;
            if (token is not null) Assert.Equal(SearchPageToken.Encode(pages.Count), token);
        } while (token is not null);
        Assert.Equal(whole, pages);
        Assert.Equal((whole.Count + pageSize - 1) / pageSize, requests); // the last page carries no token
    }

    [Fact]
    public void Token_IsMlflowsBase64Json()
    {
        Assert.Equal("eyJvZmZzZXQiOiAzfQ==", SearchPageToken.Encode(3)); // observed from MLflow 2.12
        Assert.Equal(3, SearchPageToken.Decode("eyJvZmZzZXQiOiAzfQ=="));
        Assert.Equal(3, SearchPageToken.Decode(Convert.ToBase64String("{\"offset\": \"3\"}"u8.ToArray()))); // MLflow int()s the value
        Assert.Equal(0, SearchPageToken.Decode(null));
        Assert.Equal(0, SearchPageToken.Decode(""));
    }

    [Theory]
    [InlineData("garbage!", "Invalid page token, could not base64-decode")]
    [InlineData("bm90IGpzb24=", "Invalid page token, decoded value=not json")]                 // "not json"
    [InlineData("eyJwYWdlIjogMn0=", "Invalid page token, parsed value={\"page\": 2}")]           // {"page": 2}
    [InlineData("eyJvZmZzZXQiOiAwfQ==", "Invalid page token, parsed value={\"offset\": 0}")]    // {"offset": 0}: MLflow refuses a falsy offset
    [InlineData("eyJvZmZzZXQiOiAtNH0=", "Invalid page token, parsed value={\"offset\": -4}")]   // {"offset": -4}
    [InlineData("eyJvZmZzZXQiOiAiYSJ9", "Invalid page token, parsed value={\"offset\": \"a\"}")] // {"offset": "a"}
    [InlineData("WzFd", "Invalid page token, parsed value=[1]")]                                 // [1]
    public void BadTokens_AreInvalidParameterValue(string token, string message)
    {
        var error = Assert.Throws<TrackingException>(() => Page(2, token));
        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OffsetPastTheEnd_IsAnEmptyLastPage()
    {
        var page = Page(5, SearchPageToken.Encode(100));
        Assert.Empty(page.Items);
        Assert.Null(page.NextPageToken);
    }

    [Theory]
    [InlineData(0, "It must be a positive integer, but got 0")]
    [InlineData(-1, "It must be a positive integer, but got -1")]
    [InlineData(50_001, "It must be at most 50000")]
    public void MaxResults_OutOfRange(int maxResults, string message) =>
        Assert.Contains(message, Assert.Throws<TrackingException>(() => Page(maxResults, null)).Message, StringComparison.Ordinal);

    [Fact]
    public void MaxResults_50000_IsAllowed() => Assert.Equal(8, Page(50_000, null).Items.Count);

    [Fact]
    public void BadInput_FailsBeforeAnyResult()
    {
        Assert.Throws<TrackingException>(() => Page(10, "garbage!", filter: "params.lr = '0.01'"));
        Assert.Throws<TrackingException>(() => Page(10, null, orderBy: ["metrics.loss sideways"]));
    }

    [Fact]
    public void ViewTypes_SelectActiveDeletedOrAll()
    {
        var alpha = fixture.ExperimentIds["qlib_ref_alpha"];
        string[] Names(ViewType view) =>
            fixture.Store.SearchRuns([alpha], null, view, 100, null, null).Items.Select(r => r.Info.RunName).ToArray();
        Assert.Equal(["alpha-child", "alpha-running", "alpha-failed", "alpha-xgb", "alpha-lgb"], Names(ViewType.ActiveOnly));
        Assert.Equal(["alpha-deleted"], Names(ViewType.DeletedOnly));
        Assert.Equal(["alpha-deleted", "alpha-child", "alpha-running", "alpha-failed", "alpha-xgb", "alpha-lgb"], Names(ViewType.All));
        // a deleted experiment's runs are found by id in the trash, with a filter
        var gone = fixture.ExperimentIds["qlib_ref_deleted"];
        Assert.Equal(["gone-run"], fixture.Store.SearchRuns([gone], "metrics.loss < 0.2", ViewType.All, 10, null, null).Items.Select(r => r.Info.RunName));
    }

    [Fact]
    public void UnknownAndRepeatedExperiments()
    {
        var alpha = fixture.ExperimentIds["qlib_ref_alpha"];
        Assert.Equal(5, fixture.Store.SearchRuns([alpha, alpha, "123456789"], null, ViewType.ActiveOnly, 100, null, null).Items.Count);
    }
}
