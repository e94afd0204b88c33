namespace Qlib.Tracked.Formats.Python;

/// <summary>
/// A double as pandas shows it in a table (and <c>read_csv</c> reads it back): Python's <c>repr</c>
/// (<see cref="PythonFloat"/>), except that NaN is <c>NaN</c>. Used where values leave as text for people or pandas —
/// the CSV export and the web UI's Parquet preview. Stateless; thread-safe.
/// </summary>
public static class PandasFloat
{
    /// <summary><c>NaN</c>, <c>inf</c>, <c>-inf</c>, or Python's repr of the value (<c>0.5</c>, <c>1.0</c>, <c>1e-05</c>).</summary>
    public static string ToString(double value) => double.IsNaN(value) ? "NaN" : PythonFloat.ToString(value);

    /// <summary>Like <see cref="ToString(double)"/>, with the float's own shortest digits (<see cref="PythonFloat.ToString(float)"/>).</summary>
    public static string ToString(float value) => float.IsNaN(value) ? "NaN" : PythonFloat.ToString(value);
}
