using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Qlib.Tracked.Formats.Python;

namespace Qlib.Tracked.Tests;

/// <summary>
/// Checks a metric file line by line against how MLflow's file store reads it (2.12
/// <c>FileStore._get_metric_from_line</c>: <c>line.strip().split(" ")</c>, then <c>int(ts)</c>, <c>float(value)</c>,
/// <c>int(step)</c>; any other field count fails the whole experiment's search with "persisted metric data contained
/// N fields"). Stricter than MLflow where MLflow is lenient (it also takes 2 or 5 fields, padding, '_' in numbers), so a
/// file that passes here is readable by MLflow: exactly <c>timestamp value step</c>, single spaces, no empty line,
/// and the file ends with '\n' (an unterminated last line is a write torn mid-way).
/// </summary>
public static partial class MlflowMetricLineRule
{
    public sealed record Problem(int LineNumber, string Line, string Reason);

    public sealed record Point(long Timestamp, double Value, long Step);

    // int(): optional sign, digits. float(): Python's str(float) spellings (0.5, 1e-05, 1e+16) and its
    // nan/inf/infinity words in any case, with an optional sign.
    [GeneratedRegex(@"^[+-]?[0-9]+$")]
    private static partial Regex PythonInt();

    [GeneratedRegex(@"^[+-]?(([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?|nan|inf|infinity)$", RegexOptions.IgnoreCase)]
    private static partial Regex PythonFloat();

    /// <summary>Every line that breaks the rule (empty when the file is whole), and the points of the good lines.</summary>
    public static (List<Problem> Problems, List<Point> Points) Check(byte[] file)
    {
        var problems = new List<Problem>();
        var points = new List<Point>();
        var text = Encoding.UTF8.GetString(file);
        if (text.Length > 0 && text[^1] != '\n') problems.Add(new Problem(CountLines(text), LastLine(text), "the file does not end with '\\n' (a torn last line)"));
        var lines = text.Split('\n');
        // The text after the last '\n' is the empty remainder of a whole file (or the torn line reported above).
        for (var i = 0; i < lines.Length - 1; i++)
        {
            var reason = Reason(lines[i], out var point);
            if (reason is null) points.Add(point!);
            else problems.Add(new Problem(i + 1, lines[i], reason));
        }
        return (problems, points);
    }

    private static string? Reason(string line, out Point? point)
    {
        point = null;
        if (line.Length == 0) return "empty line (MLflow: 'persisted metric data contained 1 fields')";
        var fields = line.Split(' ');
        if (fields.Length != 3) return $"{fields.Length} space-separated fields, expected exactly 3 (timestamp value step)";
        if (!PythonInt().IsMatch(fields[0])) return $"timestamp '{fields[0]}' is not an integer";
        if (!PythonFloat().IsMatch(fields[1])) return $"value '{fields[1]}' is not a Python float";
        if (!PythonInt().IsMatch(fields[2])) return $"step '{fields[2]}' is not an integer";
        point = new Point(long.Parse(fields[0], CultureInfo.InvariantCulture), ParseFloat(fields[1]), long.Parse(fields[2], CultureInfo.InvariantCulture));
        return null;
    }

    private static double ParseFloat(string text) => text.TrimStart('+', '-').ToLowerInvariant() switch
    {
        "nan" => double.NaN,
        "inf" or "infinity" => text[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static int CountLines(string text) => text.Count(c => c == '\n') + 1;

    private static string LastLine(string text) => text[(text.LastIndexOf('\n') + 1)..];
}
