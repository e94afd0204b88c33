using Qlib.Tracked.Entities;
using Qlib.Tracked.Search;

namespace Qlib.Tracked.Stores.Search;

/// <summary>One compiled comparison of a run filter. A run lacking the compared value never matches, not even <c>!=</c> (as MLflow).</summary>
internal abstract class RunCondition
{
    public abstract bool Matches(IRunFacts run);

    public static RunCondition Compile(SearchComparison c) => c.Type switch
    {
        SearchKeyType.Metric => new MetricCondition(c.Key, c.Comparator, c.Number),
        SearchKeyType.Param => new ParamCondition(c.Key, new TextMatcher(c.Comparator, c.Value)),
        SearchKeyType.Tag => new TagCondition(c.Key, new TextMatcher(c.Comparator, c.Value)),
        SearchKeyType.Dataset => new DatasetCondition(c.Key, TextMatcher.For(c)),
        _ when c.IsNumeric => new TimeCondition(c.Key == "end_time", c.Comparator, long.Parse(c.Value, System.Globalization.CultureInfo.InvariantCulture)),
        _ when c.Values is not null => new RunIdListCondition(c.Comparator == SearchComparator.NotIn, TextMatcher.ListItems(c.Values)),
        _ => new StringAttributeCondition(c.Key, new TextMatcher(c.Comparator, c.Value)),
    };

    /// <summary>IEEE comparison, as Python's float operators: NaN is unequal to everything, so only <c>!=</c> matches it.</summary>
    public static bool Compare(double actual, SearchComparator comparator, double expected) => comparator switch
    {
        SearchComparator.Equal => actual == expected,
        SearchComparator.NotEqual => actual != expected,
        SearchComparator.Less => actual < expected,
        SearchComparator.LessOrEqual => actual <= expected,
        SearchComparator.Greater => actual > expected,
        _ => actual >= expected,
    };

    public static bool Compare(long actual, SearchComparator comparator, long expected) => comparator switch
    {
        SearchComparator.Equal => actual == expected,
        SearchComparator.NotEqual => actual != expected,
        SearchComparator.Less => actual < expected,
        SearchComparator.LessOrEqual => actual <= expected,
        SearchComparator.Greater => actual > expected,
        _ => actual >= expected,
    };
}

/// <summary>A string comparison prepared once: <c>=</c>, <c>!=</c> (ordinal), LIKE, ILIKE, or membership in an IN list.</summary>
internal readonly struct TextMatcher(SearchComparator comparator, string value, HashSet<string>? items = null)
{
    public static TextMatcher For(SearchComparison c) =>
        c.Values is null ? new TextMatcher(c.Comparator, c.Value) : new TextMatcher(c.Comparator, "", ListItems(c.Values));

    /// <summary>
    /// MLflow keeps only the list items that Python's <c>str.islower()</c> accepts (a cased letter and no upper-case one),
    /// because run ids are lower-case hex and MySQL's IN ignores case: <c>IN ('ABC')</c> matches nothing.
    /// </summary>
    public static HashSet<string> ListItems(IReadOnlyList<string> values)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            if (IsPythonLower(v)) set.Add(v);
        }
        return set;
    }

    private static bool IsPythonLower(string s)
    {
        var cased = false;
        foreach (var ch in s)
        {
            if (char.IsUpper(ch) || char.GetUnicodeCategory(ch) == System.Globalization.UnicodeCategory.TitlecaseLetter) return false;
            if (char.IsLower(ch)) cased = true;
        }
        return cased;
    }

    public bool IsMatch(string actual) => comparator switch
    {
        SearchComparator.Equal => string.Equals(actual, value, StringComparison.Ordinal),
        SearchComparator.NotEqual => !string.Equals(actual, value, StringComparison.Ordinal),
        SearchComparator.Like => SqlLike.IsMatch(actual, value, ignoreCase: false),
        SearchComparator.ILike => SqlLike.IsMatch(actual, value, ignoreCase: true),
        SearchComparator.In => items!.Contains(actual),
        _ => !items!.Contains(actual),
    };
}

internal sealed class MetricCondition(string key, SearchComparator comparator, double value) : RunCondition
{
    public override bool Matches(IRunFacts run) => run.TryGetMetric(key, out var metric) && Compare(metric.Value, comparator, value);
}

internal sealed class ParamCondition(string key, TextMatcher matcher) : RunCondition
{
    public override bool Matches(IRunFacts run) => run.TryGetParam(key, out var actual) && matcher.IsMatch(actual);
}

internal sealed class TagCondition(string key, TextMatcher matcher) : RunCondition
{
    public override bool Matches(IRunFacts run) => run.TryGetTag(key, out var actual) && matcher.IsMatch(actual);
}

/// <summary><c>start_time</c>/<c>end_time</c> against integer milliseconds; a running run has no end time and never matches on it.</summary>
internal sealed class TimeCondition(bool endTime, SearchComparator comparator, long value) : RunCondition
{
    public override bool Matches(IRunFacts run)
    {
        var time = endTime ? run.Info.EndTime : run.Info.StartTime;
        return time is { } t && Compare(t, comparator, value);
    }
}

internal sealed class StringAttributeCondition(string key, TextMatcher matcher) : RunCondition
{
    private readonly Func<RunInfo, string?> _read = RunAttributes.StringReader(key);

    public override bool Matches(IRunFacts run) => _read(run.Info) is { } actual && matcher.IsMatch(actual);
}

internal sealed class RunIdListCondition(bool negate, HashSet<string> ids) : RunCondition
{
    public override bool Matches(IRunFacts run) => ids.Contains(run.Info.RunId) != negate;
}

/// <summary>
/// <c>datasets.name|digest|context</c>: true when ANY of the run's dataset inputs matches (MLflow). <c>context</c>
/// is the input's <c>mlflow.data.context</c> tag; inputs without it are not compared.
/// </summary>
internal sealed class DatasetCondition(string field, TextMatcher matcher) : RunCondition
{
    private const string ContextTag = "mlflow.data.context";

    public override bool Matches(IRunFacts run)
    {
        var inputs = run.Inputs;
        for (var i = 0; i < inputs.Count; i++) // indexing: a foreach over the interface would allocate an enumerator per run
        {
            var input = inputs[i];
            string? actual = field switch
            {
                "name" => input.Dataset.Name,
                "digest" => input.Dataset.Digest,
                _ => input.Tags.TryGetValue(ContextTag, out var context) ? context : null,
            };
            if (actual is not null && matcher.IsMatch(actual)) return true;
        }
        return false;
    }
}
