namespace Qlib.Tracked.Entities;

/// <summary>One logged metric point: <paramref name="Timestamp"/> is epoch milliseconds. Immutable; thread-safe.</summary>
public readonly record struct Metric(string Key, double Value, long Timestamp, long Step)
{
    /// <summary>
    /// MLflow's "latest" order: the highest (step, timestamp, value) wins, NaN ranking as in Python
    /// tuples (a NaN never compares greater, so an existing point is kept against it).
    /// </summary>
    public bool IsLaterThan(in Metric other)
    {
        if (Step != other.Step) return Step > other.Step;
        if (Timestamp != other.Timestamp) return Timestamp > other.Timestamp;
        return Value > other.Value;
    }
}

/// <summary>A run parameter: the value is stored as text exactly as given. Immutable; thread-safe.</summary>
public readonly record struct Param(string Key, string Value);

/// <summary>A run or experiment tag. Immutable; thread-safe.</summary>
public readonly record struct RunTag(string Key, string Value);
