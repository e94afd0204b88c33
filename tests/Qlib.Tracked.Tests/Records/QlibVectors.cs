using System.Globalization;
using System.Text.Json;
using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Tests.Records;

/// <summary>Reads the Qlib reference vectors (tests/Fixtures/qlib-vectors, formats in its README).</summary>
internal static class QlibVectors
{
    public static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "qlib-vectors");

    /// <summary>Header and rows of a fixture CSV.</summary>
    public static (string[] Header, List<string[]> Rows) ReadCsv(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(Dir, file));
        return (lines[0].Split(','), lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToList());
    }

    public static double Num(string s) => s.Length == 0 ? double.NaN : double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    public static DateTime Date(string s) => DateTime.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static (PredictionFrame Pred, LabelFrame Label) Panel()
    {
        var (header, rows) = ReadCsv("panel.csv");
        Assert.Equal(["datetime", "instrument", "score", "label"], header);
        var dt = rows.Select(r => Date(r[0])).ToArray();
        var inst = rows.Select(r => r[1]).ToArray();
        return (new PredictionFrame(dt, inst, rows.Select(r => Num(r[2])).ToArray()),
                new LabelFrame(dt, inst, rows.Select(r => Num(r[3])).ToArray()));
    }

    /// <summary>A JSON object of numbers (null = NaN), in file order.</summary>
    public static List<KeyValuePair<string, double>> ReadMetrics(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, file)));
        return doc.RootElement.EnumerateObject()
            .Select(p => new KeyValuePair<string, double>(p.Name, p.Value.ValueKind == JsonValueKind.Null ? double.NaN : p.Value.GetDouble()))
            .ToList();
    }

    /// <summary>The fixture's tolerance: |a − e| ≤ 1e-10 + 1e-9·|e|, NaN matching NaN only.</summary>
    public static void Close(double expected, double actual, string what)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            Assert.True(double.IsNaN(expected) && double.IsNaN(actual), $"{what}: expected {expected:R}, got {actual:R}");
            return;
        }
        var ok = Math.Abs(actual - expected) <= 1e-10 + 1e-9 * Math.Abs(expected);
        Assert.True(ok, $"{what}: expected {expected:R}, got {actual:R} (diff {actual - expected:R})");
    }
}
