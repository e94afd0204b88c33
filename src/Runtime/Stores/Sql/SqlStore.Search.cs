using System.Data.Common;
using System.Globalization;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.Sql;
using Qlib.Tracked.Search;
using Qlib.Tracked.Stores.Search;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Stores;

// Run search: the candidate runs (experiments × view, narrowed by SqlRunPrefilter) come from the database in one snapshot,
// then the shared search code filters, orders and pages them under MLflow's SQL-store rules (SqlSearchRules). No filter
// text reaches SQL: keys and values travel as parameters.
public sealed partial class SqlStore
{
    /// <summary>
    /// MLflow's SQL-store search_runs: as the file store's, except that a NaN metric compares as its stored 0
    /// (<c>metrics.m &gt; -1</c> matches it, <c>!= 0</c> does not) and an order_by naming one field twice is refused.
    /// Unknown experiment ids contribute no runs.
    /// </summary>
    public PagedList<Run> SearchRuns(
        IReadOnlyList<string> experimentIds,
        string? filter,
        ViewType viewType,
        int maxResults,
        IReadOnlyList<string>? orderBy,
        string? pageToken)
    {
        ArgumentNullException.ThrowIfNull(experimentIds);
        foreach (var experimentId in experimentIds) MlflowValidation.ValidateExperimentId(experimentId);
        var query = RunSearch.Prepare(filter, orderBy, maxResults, pageToken); // bad input fails before any read
        SqlSearchRules.RefuseDuplicateOrderBy(orderBy, SearchTarget.Runs);

        var keys = new List<int>();
        foreach (var experimentId in experimentIds)
        {
            if (ExperimentKey(experimentId) is { } key && !keys.Contains(key)) keys.Add(key);
        }
        if (keys.Count == 0) return new PagedList<Run>([], null);
        var names = string.Join(", ", keys.Select((_, i) => "@e" + i.ToString(CultureInfo.InvariantCulture)));
        // The database narrows the candidates to runs that can match (a superset: the filter is still evaluated whole below).
        var prefilter = SqlRunPrefilter.For(query.Filter);
        var where = $"experiment_id IN ({names}) AND lifecycle_stage IN ({StagesOf(viewType)})" +
                    (prefilter.Condition is { } narrowed ? " AND " + narrowed : "");
        void BindExperiments(DbCommand command)
        {
            for (var i = 0; i < keys.Count; i++) command.With("@e" + i.ToString(CultureInfo.InvariantCulture), keys[i]);
            prefilter.Bind(command);
        }
        var needed = SearchKeys.Of(query.Filter, orderBy);
        return Read("search runs", (connection, transaction) =>
        {
            // Filter and order over the candidates with just the keys they name, then read the page's runs whole.
            var candidates = LoadRuns(connection, transaction, where, BindExperiments, withInputs: needed.Inputs, needed);
            var matches = new List<Run>();
            foreach (var run in candidates)
            {
                if (SqlSearchRules.Matches(query.Filter, run)) matches.Add(run);
            }
            var end = (int)Math.Min((long)query.Offset + query.MaxResults, int.MaxValue);
            query.Ordering.SortTop(matches, end);
            var page = RunSearch.Page(matches, query.Offset, query.MaxResults);
            if (page.Items.Count == 0) return page;
            var ids = page.Items.Select(r => r.Info.RunId).ToList();
            var whole = ids.Count <= MaxRunsByIdList
                ? LoadRuns(connection, transaction, $"run_uuid IN ({string.Join(", ", ids.Select((_, i) => "@r" + i.ToString(CultureInfo.InvariantCulture)))})",
                    command => { for (var i = 0; i < ids.Count; i++) command.With("@r" + i.ToString(CultureInfo.InvariantCulture), ids[i]); }, withInputs: true)
                : LoadRuns(connection, transaction, where, BindExperiments, withInputs: true);
            var byId = whole.ToDictionary(r => r.Info.RunId, StringComparer.Ordinal);
            return new PagedList<Run>(ids.ConvertAll(id => byId[id]), page.NextPageToken);
        });
    }

    /// <summary>Pages up to this many runs are read by id; larger ones re-read the candidates (parameter limits).</summary>
    private const int MaxRunsByIdList = 2000;

    /// <summary>How many runs of an experiment are in the view (one COUNT, no run data read).</summary>
    public int CountRuns(string experimentId, ViewType viewType)
    {
        MlflowValidation.ValidateExperimentId(experimentId);
        if (ExperimentKey(experimentId) is not { } key) return 0;
        return Read("count runs", (connection, transaction) =>
        {
            using var command = SqlCommands.Create(connection, transaction,
                $"SELECT COUNT(*) FROM runs WHERE experiment_id = @id AND lifecycle_stage IN ({StagesOf(viewType)})").With("@id", key);
            return (int)Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        });
    }

    public RunCounts CountRunsByStage(string experimentId) =>
        new(CountRuns(experimentId, ViewType.ActiveOnly), CountRuns(experimentId, ViewType.DeletedOnly));
}
