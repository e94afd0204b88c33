using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Export;

/// <summary>A search followed across its pages, and the runs table it makes. Stateless; thread-safe (thread safety of the searched store is the store's).</summary>
public static class RunsSearch
{
    /// <summary>The largest page MLflow allows; bigger results are followed through page tokens.</summary>
    public const int PageSize = 50_000;

    /// <summary>
    /// Every run the search matches, in the store's result order, following page tokens; at most
    /// <paramref name="limit"/> runs when given, and then <see cref="PagedList{T}.NextPageToken"/> is the
    /// token of the runs left out (null when none were). Filter and order-by use whatever grammar the store speaks.
    /// </summary>
    public static PagedList<Run> All(
        ITrackingStore store,
        IReadOnlyList<string> experimentIds,
        string? filter = null,
        ViewType viewType = ViewType.ActiveOnly,
        IReadOnlyList<string>? orderBy = null,
        int? limit = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(experimentIds);
        if (limit is < 1) throw TrackingException.InvalidParameter($"The run limit must be at least 1, got {limit}.");
        var runs = new List<Run>();
        string? token = null;
        do
        {
            var pageSize = limit is { } l ? Math.Min(PageSize, l - runs.Count) : PageSize;
            var page = store.SearchRuns(experimentIds, filter, viewType, pageSize, orderBy, token);
            runs.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null && (limit is null || runs.Count < limit));
        return new PagedList<Run>(runs, token);
    }

    /// <summary>The runs table of a search (see <see cref="All"/>).</summary>
    public static RunsTable Table(
        ITrackingStore store,
        IReadOnlyList<string> experimentIds,
        string? filter = null,
        ViewType viewType = ViewType.ActiveOnly,
        IReadOnlyList<string>? orderBy = null,
        int? limit = null) =>
        RunsTable.FromRuns(All(store, experimentIds, filter, viewType, orderBy, limit).Items);

    /// <summary>Searches and writes the runs table to <paramref name="path"/> as Parquet; returns the table written.</summary>
    public static RunsTable ExportParquet(
        ITrackingStore store,
        IReadOnlyList<string> experimentIds,
        string path,
        string? filter = null,
        ViewType viewType = ViewType.ActiveOnly,
        IReadOnlyList<string>? orderBy = null,
        int? limit = null)
    {
        var table = Table(store, experimentIds, filter, viewType, orderBy, limit);
        RunsTableParquet.Write(table, path);
        return table;
    }
}
