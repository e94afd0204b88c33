using System.Data.Common;
using System.Globalization;
using System.Text;
using Qlib.Tracked.Search;
using Qlib.Tracked.Stores.Search;

namespace Qlib.Tracked.Stores.Sql;

/// <summary>
/// The part of a run filter the database can answer, as a parameterized condition on the <c>runs</c> table: the
/// candidates a search reads are then only the runs that can match, instead of every run of the experiments.
/// </summary>
/// <remarks>
/// <para>The condition selects a SUPERSET of the runs the filter matches: the search still evaluates the whole filter
/// on every candidate with <see cref="SqlSearchRules"/>, so the answer is the in-memory evaluator's by construction.
/// Each <c>metrics.</c>/<c>params.</c>/<c>tags.</c> comparison contributes, because a run lacking the key never
/// matches (not even <c>!=</c>):</para>
/// <list type="bullet">
/// <item><c>=</c> on a param or tag: the key with that value (SQL equality on text is ordinal, as the evaluator's);</item>
/// <item>a numeric comparison on a metric: the key's latest value compared in SQL — the column holds what the
/// evaluator compares (a NaN is stored as 0 with <c>is_nan</c>, ±inf as ±max double);</item>
/// <item>any other comparator (<c>!=</c>, LIKE, ILIKE, a NaN literal): just that the key exists.</item>
/// </list>
/// <para>Attributes and <c>datasets.</c> comparisons are left to the evaluator. No filter text reaches SQL: keys and
/// values travel as parameters.</para>
/// </remarks>
internal sealed class SqlRunPrefilter
{
    private readonly List<(string Name, object Value)> _parameters = [];

    private SqlRunPrefilter(string condition) => Condition = condition;

    /// <summary>The condition on <c>runs</c> (<c>run_uuid IN (…) AND …</c>), or null when no comparison narrows the runs.</summary>
    public string? Condition { get; private set; }

    /// <summary>Adds this condition's parameters to <paramref name="command"/>.</summary>
    public void Bind(DbCommand command)
    {
        foreach (var (name, value) in _parameters) command.With(name, value);
    }

    public static SqlRunPrefilter For(RunFilter filter)
    {
        var prefilter = new SqlRunPrefilter("");
        var conditions = new List<string>();
        foreach (var comparison in filter.Comparisons)
        {
            if (prefilter.Compile(comparison, conditions.Count) is { } condition) conditions.Add(condition);
        }
        prefilter.Condition = conditions.Count == 0 ? null : string.Join(" AND ", conditions);
        return prefilter;
    }

    private string? Compile(SearchComparison comparison, int index)
    {
        var table = comparison.Type switch
        {
            SearchKeyType.Metric => "latest_metrics",
            SearchKeyType.Param => "params",
            SearchKeyType.Tag => "tags",
            _ => null,
        };
        if (table is null) return null;
        var prefix = "@f" + index.ToString(CultureInfo.InvariantCulture);
        var sql = new StringBuilder($"run_uuid IN (SELECT run_uuid FROM {table} WHERE \"key\" = {Add(prefix + "k", comparison.Key)}");
        if (comparison.Type == SearchKeyType.Metric)
        {
            if (!double.IsNaN(comparison.Number) && SqlOperator(comparison.Comparator) is { } op)
                sql.Append($" AND value {op} {Add(prefix + "n", comparison.Number)}");
        }
        else if (comparison.Comparator == SearchComparator.Equal)
        {
            sql.Append($" AND value = {Add(prefix + "v", comparison.Value)}");
        }
        return sql.Append(')').ToString();
    }

    private string Add(string name, object value)
    {
        _parameters.Add((name, value));
        return name;
    }

    private static string? SqlOperator(SearchComparator comparator) => comparator switch
    {
        SearchComparator.Equal => "=",
        SearchComparator.NotEqual => "<>",
        SearchComparator.Less => "<",
        SearchComparator.LessOrEqual => "<=",
        SearchComparator.Greater => ">",
        SearchComparator.GreaterOrEqual => ">=",
        _ => null,
    };
}
