using System.Text.Json;
using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Tests.Search;

/// <summary>
/// The <c>searches</c> recorded in expected_read_store.json: each filter + order_by real MLflow 2.12 ran over the
/// fixture's active experiments, with the (experiment, run) names it returned in order, or its error message.
/// </summary>
public sealed class ReferenceSearchesTests(MlflowFixture fixture) : IClassFixture<MlflowFixture>
{
    public static TheoryData<int> SearchIndexes()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Searches().Count; i++) data.Add(i);
        return data;
    }

    private static List<JsonElement> Searches()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(MlflowFixture.FixtureDir, "expected_read_store.json")));
        return doc.RootElement.GetProperty("searches").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    [Fact]
    public void TheReferenceRecordsSearchesAndErrors()
    {
        var searches = Searches();
        Assert.True(searches.Count >= 10);
        Assert.Contains(searches, s => s.TryGetProperty("error", out _));
    }

    [Theory]
    [MemberData(nameof(SearchIndexes))]
    public void Search_GivesMlflowsRunsInMlflowsOrder(int index)
    {
        var search = Searches()[index];
        var filter = search.GetProperty("filter").GetString();
        var orderBy = search.GetProperty("order_by").EnumerateArray().Select(e => e.GetString()!).ToArray();
        if (search.TryGetProperty("error", out var error))
        {
            var mlflowMessage = error.GetString()!;
            const string prefix = "MlflowException: ";
            if (mlflowMessage.StartsWith(prefix, StringComparison.Ordinal)) mlflowMessage = mlflowMessage[prefix.Length..];
            var thrown = Assert.Throws<TrackingException>(() => fixture.Search(filter, orderBy));
            Assert.Equal(ErrorCode.InvalidParameterValue, thrown.Code);
            Assert.Contains(mlflowMessage, thrown.Message, StringComparison.Ordinal);
            return;
        }

        var experimentNames = fixture.ExperimentIds.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
        var expected = search.GetProperty("result").EnumerateArray()
            .Select(pair => $"{pair[0].GetString()}/{pair[1].GetString()}").ToArray();
        var actual = fixture.Search(filter, orderBy).Select(r => $"{experimentNames[r.Info.ExperimentId]}/{r.Info.RunName}").ToArray();
        Assert.Equal(expected, actual);
    }
}
