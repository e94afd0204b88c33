using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Validation;

/// <summary>
/// MLflow's input rules (<c>mlflow/utils/validation.py</c>) in one place. Every failure is a
/// <see cref="TrackingException"/> with INVALID_PARAMETER_VALUE whose message names the value and
/// the rule, in MLflow's wording where it has one. Key checks are on the logging hot path: ASCII
/// keys take a table-driven fast path, and <see cref="ValidatedKeyCache"/> lets callers skip keys
/// they have already seen. Lengths are counted in Unicode code points, as Python's <c>len(str)</c>.
/// Stateless; thread-safe.
/// </summary>
public static class MlflowValidation
{
    /// <summary>The longest metric, param or tag key, in code points (MLflow's <c>MAX_ENTITY_KEY_LENGTH</c>).</summary>
    public const int MaxEntityKeyLength = 250;
    /// <summary>The longest param value, in code points (MLflow's <c>MAX_PARAM_VAL_LENGTH</c>).</summary>
    public const int MaxParamValueLength = 6000;
    /// <summary>The longest run tag value, in code points (MLflow's <c>MAX_TAG_VAL_LENGTH</c> since 2.17; 5000 before).</summary>
    public const int MaxTagValueLength = 8000;
    /// <summary>The longest experiment tag key, in code points (MLflow's <c>MAX_EXPERIMENT_TAG_KEY_LENGTH</c>).</summary>
    public const int MaxExperimentTagKeyLength = 250;
    /// <summary>The longest experiment tag value, in code points (MLflow's <c>MAX_EXPERIMENT_TAG_VAL_LENGTH</c>).</summary>
    public const int MaxExperimentTagValueLength = 5000;
    /// <summary>The longest experiment name, in code points (MLflow's limit since 2.15).</summary>
    public const int MaxExperimentNameLength = 500;
    /// <summary>The most metrics one <c>log-batch</c> request may carry (MLflow's <c>MAX_METRICS_PER_BATCH</c>).</summary>
    public const int MaxMetricsPerBatch = 1000;
    /// <summary>The most params one <c>log-batch</c> request may carry (MLflow's <c>MAX_PARAMS_TAGS_PER_BATCH</c>).</summary>
    public const int MaxParamsPerBatch = 100;
    /// <summary>The most tags one <c>log-batch</c> request may carry (MLflow's <c>MAX_PARAMS_TAGS_PER_BATCH</c>).</summary>
    public const int MaxTagsPerBatch = 100;
    /// <summary>The most metrics, params and tags in total one <c>log-batch</c> request may carry (MLflow's <c>MAX_ENTITIES_PER_BATCH</c>).</summary>
    public const int MaxEntitiesPerBatch = 1000;
    /// <summary>The largest <c>max_results</c> a run search accepts (MLflow's <c>SEARCH_MAX_RESULTS_THRESHOLD</c>).</summary>
    public const int MaxSearchResults = 50000;

    /// <summary>The longest dataset name, in code points (MLflow's <c>MAX_DATASET_NAME_SIZE</c>).</summary>
    public const int MaxDatasetNameLength = 500;
    /// <summary>The longest dataset digest, in code points (MLflow's <c>MAX_DATASET_DIGEST_SIZE</c>).</summary>
    public const int MaxDatasetDigestLength = 36;
    /// <summary>
    /// The longest dataset source type, in code points: MLflow does not check it, but its SQL store's
    /// <c>datasets.dataset_source_type</c> column is VARCHAR(36), which PostgreSQL enforces.
    /// </summary>
    public const int MaxDatasetSourceTypeLength = 36;
    /// <summary>The longest dataset source, in code points (MLflow's <c>MAX_DATASET_SOURCE_SIZE</c>).</summary>
    public const int MaxDatasetSourceLength = 65535;
    /// <summary>The longest dataset schema, in code points (MLflow 2.12's <c>MAX_DATASET_SCHEMA_SIZE</c>).</summary>
    public const int MaxDatasetSchemaLength = 65535;
    /// <summary>The longest dataset profile, in code points (MLflow's <c>MAX_DATASET_PROFILE_SIZE</c>).</summary>
    public const int MaxDatasetProfileLength = 16777215;
    /// <summary>The longest input tag key, in code points (MLflow's <c>MAX_INPUT_TAG_KEY_SIZE</c>).</summary>
    public const int MaxInputTagKeyLength = 255;
    /// <summary>The longest input tag value, in code points (MLflow's <c>MAX_INPUT_TAG_VALUE_SIZE</c>).</summary>
    public const int MaxInputTagValueLength = 500;

    private const string BadCharactersMessage =
        "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).";

    private const string BadPathMessage =
        "Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '{0}'";

    // ASCII characters allowed in keys: [A-Za-z0-9_/.\- :]
    private static readonly bool[] AsciiKeyChar = BuildAsciiKeyTable();

    /// <summary>Checks a metric key with <see cref="ValidateKey"/>'s rules.</summary>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE naming the key and the rule it breaks.</exception>
    public static void ValidateMetricKey(string? key) => ValidateKey(key, "metric");

    /// <summary>Checks a param key with <see cref="ValidateKey"/>'s rules.</summary>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE naming the key and the rule it breaks.</exception>
    public static void ValidateParamKey(string? key) => ValidateKey(key, "param");

    /// <summary>Checks a tag key with <see cref="ValidateKey"/>'s rules.</summary>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE naming the key and the rule it breaks.</exception>
    public static void ValidateTagKey(string? key) => ValidateKey(key, "tag");

    /// <summary>
    /// Checks a metric/param/tag key: allowed characters (<c>^[/\w.\- :]*$</c>, Unicode <c>\w</c>),
    /// the path rule (no empty, <c>.</c> or <c>..</c> segment, no leading <c>/</c>, no leading
    /// <c>..</c>) and the 250-character limit. Keys become file paths, so this is also what keeps
    /// a store inside its root.
    /// </summary>
    /// <param name="key">The key to check.</param>
    /// <param name="kind"><c>metric</c>, <c>param</c> or <c>tag</c>: named in the error.</param>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE when the key is null, has a character outside the pattern, breaks the path rule or is too long.</exception>
    public static void ValidateKey(string? key, string kind)
    {
        if (key is null) throw TrackingException.InvalidParameter("A key name must be provided.");
        if (!HasValidKeyCharacters(key))
            throw TrackingException.InvalidParameter($"Invalid {kind} name: '{key}'. {BadCharactersMessage}");
        if (!IsSafeRelativePath(key))
            throw TrackingException.InvalidParameter(
                $"Invalid {kind} name: '{key}'. " + string.Format(CultureInfo.InvariantCulture, BadPathMessage, PosixNormPath(key)));
        if (CodePointLength(key) > MaxEntityKeyLength)
            throw TrackingException.InvalidParameter(
                $"'{Capitalize(kind)} name' exceeds the maximum length of {MaxEntityKeyLength} characters: '{key}'.");
    }

    /// <summary>True when every character matches MLflow's key pattern <c>[/\w.\- :]</c>.</summary>
    public static bool HasValidKeyCharacters(string key)
    {
        var table = AsciiKeyChar;
        foreach (var c in key)
        {
            if (c < 128)
            {
                if (!table[c]) return false;
                continue;
            }
            return HasValidKeyCharactersSlow(key);
        }
        return true;
    }

    private static bool HasValidKeyCharactersSlow(string key)
    {
        foreach (var rune in key.EnumerateRunes())
        {
            if (rune.IsAscii)
            {
                if (!AsciiKeyChar[rune.Value]) return false;
            }
            // Python's \w on str: letters and numbers of any script (str.isalnum) plus '_'.
            else if (!Rune.IsLetter(rune) && !Rune.IsNumber(rune))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// MLflow's path rule: <c>posixpath.normpath(key) == key</c>, not <c>.</c>, not starting with
    /// <c>..</c> or <c>/</c>. Equivalent to: non-empty, no leading <c>/</c> or <c>..</c>, and no
    /// empty, <c>.</c> or <c>..</c> segment.
    /// </summary>
    public static bool IsSafeRelativePath(string key) => KeyPathRule.IsSafeRelativePath(key);

    /// <summary>Checks a param value: present and at most <see cref="MaxParamValueLength"/> code points.</summary>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE naming <paramref name="key"/> when the value is null or too long.</exception>
    public static void ValidateParamValue(string key, string? value)
    {
        if (value is null) throw TrackingException.InvalidParameter($"Missing value for required parameter 'value' of param '{key}'.");
        if (value.Length > MaxParamValueLength && CodePointLength(value) > MaxParamValueLength)
            throw TrackingException.InvalidParameter(
                $"'Param value' exceeds the maximum length of {MaxParamValueLength} characters (param '{key}' has {CodePointLength(value)}).");
    }

    /// <summary>Checks a run tag value: present and at most <see cref="MaxTagValueLength"/> code points.</summary>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE naming <paramref name="key"/> when the value is null or too long.</exception>
    public static void ValidateTagValue(string key, string? value)
    {
        if (value is null) throw TrackingException.InvalidParameter($"Missing value for required parameter 'value' of tag '{key}'.");
        if (value.Length > MaxTagValueLength && CodePointLength(value) > MaxTagValueLength)
            throw TrackingException.InvalidParameter(
                $"'Tag value' exceeds the maximum length of {MaxTagValueLength} characters (tag '{key}' has {CodePointLength(value)}).");
    }

    /// <summary>Checks a metric's timestamp is non-negative (its key is checked separately, see <see cref="ValidateMetricKey"/>).</summary>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE naming the metric when its timestamp is negative.</exception>
    public static void ValidateMetric(in Metric metric)
    {
        if (metric.Timestamp < 0)
            throw TrackingException.InvalidParameter(
                $"Got invalid timestamp {metric.Timestamp} for metric '{metric.Key}' (value={metric.Value}). Timestamp must be a nonnegative long (64-bit integer).");
    }

    /// <summary>Checks an experiment tag: the key by <see cref="ValidateKey"/>'s rules and at most <see cref="MaxExperimentTagKeyLength"/> code points, the value present and at most <see cref="MaxExperimentTagValueLength"/>.</summary>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE naming the key when a rule is broken.</exception>
    public static void ValidateExperimentTag(string? key, string? value)
    {
        ValidateKey(key, "tag");
        if (CodePointLength(key!) > MaxExperimentTagKeyLength)
            throw TrackingException.InvalidParameter($"'Experiment tag key' exceeds the maximum length of {MaxExperimentTagKeyLength} characters: '{key}'.");
        if (value is null) throw TrackingException.InvalidParameter($"Missing value for required parameter 'value' of experiment tag '{key}'.");
        if (value.Length > MaxExperimentTagValueLength && CodePointLength(value) > MaxExperimentTagValueLength)
            throw TrackingException.InvalidParameter(
                $"'Experiment tag value' exceeds the maximum length of {MaxExperimentTagValueLength} characters (tag '{key}').");
    }

    /// <summary>Checks an experiment name: present, non-empty and at most <see cref="MaxExperimentNameLength"/> code points.</summary>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE naming the name when a rule is broken.</exception>
    public static void ValidateExperimentName(string? name)
    {
        if (name is null) throw TrackingException.InvalidParameter("Missing value for required parameter 'name'.");
        if (name.Length == 0) throw TrackingException.InvalidParameter("Invalid experiment name: ''. An experiment name must be a non-empty string.");
        if (name.Length > MaxExperimentNameLength && CodePointLength(name) > MaxExperimentNameLength)
            throw TrackingException.InvalidParameter(
                $"Invalid experiment name: '{name}'. 'name' exceeds the maximum length of {MaxExperimentNameLength} characters.");
    }

    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE with the count and the limit when a limit is exceeded.</exception>
    /// <summary>Batch size limits and duplicate param keys (MLflow's <c>_validate_batch_log_limits</c> and <c>_validate_param_keys_unique</c>).</summary>
    public static void ValidateBatchLimits(int metrics, int parameters, int tags)
    {
        if (metrics > MaxMetricsPerBatch)
            throw TrackingException.InvalidParameter(
                $"A batch logging request can contain at most {MaxMetricsPerBatch} metrics. Got {metrics} metrics. Please split up metrics across multiple requests and try again.");
        if (parameters > MaxParamsPerBatch)
            throw TrackingException.InvalidParameter(
                $"A batch logging request can contain at most {MaxParamsPerBatch} params. Got {parameters} params. Please split up params across multiple requests and try again.");
        if (tags > MaxTagsPerBatch)
            throw TrackingException.InvalidParameter(
                $"A batch logging request can contain at most {MaxTagsPerBatch} tags. Got {tags} tags. Please split up tags across multiple requests and try again.");
        var total = metrics + parameters + tags;
        if (total > MaxEntitiesPerBatch)
            throw TrackingException.InvalidParameter(
                $"A batch logging request can contain at most {MaxEntitiesPerBatch} metrics, params, and tags in total. Got {total} in total. Please split up across multiple requests and try again.");
    }

    /// <summary>Checks no param key appears twice in one batch (MLflow's <c>_validate_param_keys_unique</c>; keys compare ordinally).</summary>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE naming the first duplicated key.</exception>
    public static void ValidateParamKeysUnique(IReadOnlyList<Param> parameters)
    {
        if (parameters.Count < 2) return;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in parameters)
        {
            if (!seen.Add(p.Key))
                throw TrackingException.InvalidParameter(
                    $"Duplicate parameter keys have been submitted: ['{p.Key}']. Please ensure the request contains only one param value per param key.");
        }
    }

    /// <summary>
    /// Checks dataset inputs (MLflow's <c>_validate_dataset_inputs</c>): each dataset's name, digest, source type and
    /// source present; name, digest, source type, source, schema and profile within their limits; each input tag's key
    /// and value present and within theirs.
    /// </summary>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE naming the input (by position and dataset name), the field and its limit.</exception>
    public static void ValidateDatasetInputs(IReadOnlyList<DatasetInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        for (var i = 0; i < inputs.Count; i++)
        {
            var dataset = inputs[i]?.Dataset ?? throw TrackingException.InvalidParameter($"Dataset cannot be None (dataset input {i}).");
            var where = $"dataset input {i}" + (dataset.Name is null ? "" : $", dataset '{Shortened(dataset.Name)}'");
            CheckDatasetField(dataset.Name, "name", MaxDatasetNameLength, where, required: true);
            CheckDatasetField(dataset.Digest, "digest", MaxDatasetDigestLength, where, required: true);
            CheckDatasetField(dataset.SourceType, "source_type", MaxDatasetSourceTypeLength, where, required: true);
            CheckDatasetField(dataset.Source, "source", MaxDatasetSourceLength, where, required: true);
            CheckDatasetField(dataset.Schema, "schema", MaxDatasetSchemaLength, where, required: false);
            CheckDatasetField(dataset.Profile, "profile", MaxDatasetProfileLength, where, required: false);
            foreach (var (key, value) in inputs[i].Tags ?? throw TrackingException.InvalidParameter($"InputTag list cannot be None ({where})."))
            {
                if (key is null) throw TrackingException.InvalidParameter($"InputTag key cannot be None ({where}).");
                if (value is null) throw TrackingException.InvalidParameter($"InputTag value cannot be None ({where}, tag '{Shortened(key)}').");
                if (key.Length > MaxInputTagKeyLength && CodePointLength(key) > MaxInputTagKeyLength)
                    throw TrackingException.InvalidParameter(
                        $"InputTag key exceeds the maximum length of {MaxInputTagKeyLength} ({where}: tag '{Shortened(key)}' is {CodePointLength(key)} characters long).");
                if (value.Length > MaxInputTagValueLength && CodePointLength(value) > MaxInputTagValueLength)
                    throw TrackingException.InvalidParameter(
                        $"InputTag value exceeds the maximum length of {MaxInputTagValueLength} ({where}: the value of tag '{Shortened(key)}' is {CodePointLength(value)} characters long).");
            }
        }
    }

    private static void CheckDatasetField(string? value, string field, int limit, string where, bool required)
    {
        if (value is null)
        {
            if (required) throw TrackingException.InvalidParameter($"Dataset {field} cannot be None ({where}).");
            return;
        }
        if (value.Length > limit && CodePointLength(value) > limit)
            throw TrackingException.InvalidParameter(
                $"Dataset {field} exceeds the maximum length of {limit} ({where}: its {field} is {CodePointLength(value)} characters long).");
    }

    /// <summary>A name as a message shows it: at most 60 characters, the cut marked.</summary>
    private static string Shortened(string text) => text.Length <= 60 ? text : text[..60] + "…";

    /// <summary>Checks a run id: <c>^[a-zA-Z0-9][\w\-]{0,255}$</c> (MLflow's <c>_validate_run_id</c>).</summary>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE naming the id when it does not match.</exception>
    public static void ValidateRunId(string? runId)
    {
        if (runId is null || !IsIdLike(runId, 256))
            throw TrackingException.InvalidParameter($"Invalid run ID: '{runId}'");
    }

    /// <summary>Checks an experiment id: <c>^[a-zA-Z0-9][\w\-]{0,63}$</c> (MLflow's <c>_validate_experiment_id</c>).</summary>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE naming the id when it does not match.</exception>
    public static void ValidateExperimentId(string? experimentId)
    {
        if (experimentId is null || !IsIdLike(experimentId, 64))
            throw TrackingException.InvalidParameter($"Invalid experiment ID: '{experimentId}'");
    }

    /// <summary>Checks a search's <c>max_results</c> is between 1 and <see cref="MaxSearchResults"/>.</summary>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE with the value when it is out of range.</exception>
    public static void ValidateMaxResults(int maxResults)
    {
        if (maxResults < 1)
            throw TrackingException.InvalidParameter($"Invalid value for max_results. It must be a positive integer, but got {maxResults}");
        if (maxResults > MaxSearchResults)
            throw TrackingException.InvalidParameter($"Invalid value for max_results. It must be at most {MaxSearchResults}, but got value {maxResults}");
    }

    /// <summary><c>^[a-zA-Z0-9][\w\-]{0,maxLength-1}$</c> with Python's Unicode <c>\w</c>.</summary>
    private static bool IsIdLike(string id, int maxLength)
    {
        if (id.Length == 0 || !char.IsAsciiLetterOrDigit(id[0])) return false;
        var count = 0;
        foreach (var rune in id.EnumerateRunes())
        {
            count++;
            if (count > maxLength) return false;
            if (rune.IsAscii)
            {
                var c = (char)rune.Value;
                if (!char.IsAsciiLetterOrDigit(c) && c is not '_' and not '-') return false;
            }
            else if (!Rune.IsLetter(rune) && !Rune.IsNumber(rune))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Python's <c>len(str)</c>: code points, not UTF-16 units.</summary>
    public static int CodePointLength(string text)
    {
        var surrogates = 0;
        foreach (var c in text) if (char.IsLowSurrogate(c)) surrogates++;
        return text.Length - surrogates;
    }

    /// <summary><c>posixpath.normpath</c>, for messages that show what a bad key would resolve to.</summary>
    internal static string PosixNormPath(string path)
    {
        if (path.Length == 0) return ".";
        var initialSlashes = path.StartsWith('/') ? (path.StartsWith("//", StringComparison.Ordinal) && !path.StartsWith("///", StringComparison.Ordinal) ? 2 : 1) : 0;
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part != ".." || (initialSlashes == 0 && parts.Count == 0) || (parts.Count > 0 && parts[^1] == ".."))
                parts.Add(part);
            else if (parts.Count > 0)
                parts.RemoveAt(parts.Count - 1);
        }
        var result = new string('/', initialSlashes) + string.Join('/', parts);
        return result.Length == 0 ? "." : result;
    }

    private static string Capitalize(string word) => char.ToUpperInvariant(word[0]) + word[1..];

    private static bool[] BuildAsciiKeyTable()
    {
        var table = new bool[128];
        for (var c = 0; c < 128; c++)
            table[c] = char.IsAsciiLetterOrDigit((char)c) || c is '_' or '/' or '.' or '-' or ' ' or ':';
        return table;
    }
}

/// <summary>
/// Keys already validated, so hot logging loops check each distinct key once. Bounded: it is
/// cleared when it grows past <see cref="Capacity"/> entries, so a stream of unique keys cannot
/// grow memory without limit.
/// </summary>
internal sealed class ValidatedKeyCache
{
    public const int Capacity = 16384;

    private readonly ConcurrentDictionary<string, byte> _metricKeys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _paramKeys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _tagKeys = new(StringComparer.Ordinal);

    public void ValidateMetricKey(string key) => Validate(_metricKeys, key, "metric");

    public void ValidateParamKey(string key) => Validate(_paramKeys, key, "param");

    public void ValidateTagKey(string key) => Validate(_tagKeys, key, "tag");

    private static void Validate(ConcurrentDictionary<string, byte> known, string key, string kind)
    {
        if (key is not null && known.ContainsKey(key)) return;
        MlflowValidation.ValidateKey(key, kind);
        if (known.Count >= Capacity) known.Clear();
        known.TryAdd(key!, 0);
    }
}
