namespace Qlib.Tracked.Stores.Search;

/// <summary>What a search identifier names: <c>metrics.k</c>, <c>params.k</c>, <c>tags.k</c> or a run attribute.</summary>
internal enum SearchEntity { Metric, Param, Tag, Attribute }

/// <summary>A parsed <c>&lt;type&gt;.&lt;key&gt;</c> identifier (MLflow's search grammar, reference §3).</summary>
internal readonly record struct SearchIdentifier(SearchEntity Entity, string Key)
{
    /// <summary>String attributes (compared as text).</summary>
    public static readonly string[] StringAttributes = ["run_id", "run_name", "user_id", "status", "artifact_uri"];

    /// <summary>Numeric attributes (integer milliseconds); <c>created</c> is MLflow's alias of start_time.</summary>
    public static readonly string[] NumericAttributes = ["start_time", "end_time"];

    public bool IsNumericAttribute => Entity == SearchEntity.Attribute && NumericAttributes.Contains(Key);

    /// <summary>Maps an identifier type word to its entity; null when MLflow does not know the word.</summary>
    public static SearchEntity? ParseType(string word) => word.ToLowerInvariant() switch
    {
        "metric" or "metrics" => SearchEntity.Metric,
        "param" or "params" or "parameter" or "parameters" => SearchEntity.Param,
        "tag" or "tags" => SearchEntity.Tag,
        "attribute" or "attributes" or "attr" or "run" => SearchEntity.Attribute,
        _ => null,
    };

    /// <summary>Checks an attribute key and resolves aliases; INVALID_PARAMETER_VALUE for unknown or non-searchable ones.</summary>
    public static string ResolveAttribute(string key)
    {
        var resolved = key switch
        {
            "created" or "Created" => "start_time",
            "run name" or "Run name" or "Run Name" => "run_name",
            _ => key,
        };
        if (StringAttributes.Contains(resolved) || NumericAttributes.Contains(resolved)) return resolved;
        throw TrackingException.InvalidParameter(
            $"Invalid attribute key '{key}' specified. Valid keys are '{string.Join("', '", StringAttributes.Concat(NumericAttributes))}'");
    }
}
