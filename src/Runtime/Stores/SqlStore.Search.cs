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
            var candidates = needed.Inputs
                ? LoadRuns(connection, transaction, where, BindExperiments, withInputs: true, needed)
                : LoadCandidates(connection, transaction, where, BindExperiments, needed);
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

    /// <summary>
    /// The runs matching <paramref name="where"/>, each with just the metric, param and tag keys a search names, in one
    /// query: one LEFT JOIN per key on its table's primary key (key, run_uuid), so the candidates are found once
    /// instead of once per table.
    /// </summary>
    private static List<Run> LoadCandidates(DbConnection connection, DbTransaction transaction, string where, Action<DbCommand> bind, SearchKeys keys)
    {
        using var command = SqlCommands.Create(connection, transaction, "");
        bind(command);
        var select = new System.Text.StringBuilder("SELECT r.run_uuid, r.experiment_id, r.name, r.user_id, r.status, r.start_time, r.end_time, r.artifact_uri, r.lifecycle_stage, r.deleted_time");
        var from = new System.Text.StringBuilder($" FROM (SELECT {RunColumns} FROM runs WHERE {where}) r");
        void Join(string alias, string table, string parameter, string key, string columns)
        {
            command.With(parameter, key);
            select.Append(columns);
            from.Append($" LEFT JOIN {table} {alias} ON {alias}.run_uuid = r.run_uuid AND {alias}.\"key\" = {parameter}");
        }
        for (var i = 0; i < keys.Metrics.Count; i++)
        {
            var m = "m" + i.ToString(CultureInfo.InvariantCulture);
            Join(m, "latest_metrics", "@c" + m, keys.Metrics[i], $", {m}.value, {m}.timestamp, {m}.step, {m}.is_nan");
        }
        for (var i = 0; i < keys.Params.Count; i++)
        {
            var p = "p" + i.ToString(CultureInfo.InvariantCulture);
            Join(p, "params", "@c" + p, keys.Params[i], $", {p}.value, {p}.run_uuid");
        }
        for (var i = 0; i < keys.Tags.Count; i++)
        {
            var t = "t" + i.ToString(CultureInfo.InvariantCulture);
            Join(t, "tags", "@c" + t, keys.Tags[i], $", {t}.value, {t}.run_uuid");
        }
        command.CommandText = select.Append(from).ToString();

        var runs = new List<Run>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var info = ReadRunInfo(reader);
            var column = 10;
            var metrics = new Dictionary<string, Metric>(keys.Metrics.Count, StringComparer.Ordinal);
            foreach (var key in keys.Metrics)
            {
                // is_nan is NOT NULL in MLflow's schema: NULL there means the run has no such metric.
                if (!reader.IsDBNull(column + 3))
                    metrics[key] = new Metric(key, reader.Boolean(column + 3) ? double.NaN : reader.GetDouble(column),
                        reader.NullableInt64(column + 1) ?? 0, reader.NullableInt64(column + 2) ?? 0);
                column += 4;
            }
            var parameters = new Dictionary<string, string>(keys.Params.Count, StringComparer.Ordinal);
            foreach (var key in keys.Params)
            {
                if (!reader.IsDBNull(column + 1)) parameters[key] = reader.NullableString(column) ?? ""; // the joined row's run_uuid says it exists
                column += 2;
            }
            var tags = new Dictionary<string, string>(keys.Tags.Count, StringComparer.Ordinal);
            foreach (var key in keys.Tags)
            {
                if (!reader.IsDBNull(column + 1)) tags[key] = reader.NullableString(column) ?? "";
                column += 2;
            }
            runs.Add(new Run(info, new RunData(metrics, parameters, tags), []));
        }
        return runs;
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

    /// <inheritdoc/>
    public RunCounts CountRunsByStage(string experimentId) =>
        new(CountRuns(experimentId, ViewType.ActiveOnly), CountRuns(experimentId, ViewType.DeletedOnly));
}
