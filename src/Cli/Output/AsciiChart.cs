using System.Globalization;

namespace Qlib.Tracked.Tool.Output;

/// <summary>
/// A small text chart of one series against its steps, for a quick look at a training curve in a terminal:
/// one '*' per plotted column, the y range labelled on the left, the first and last step below.
/// </summary>
public static class AsciiChart
{
    /// <summary>
    /// Draws <paramref name="values"/> (one per entry of <paramref name="steps"/>, ascending steps). Non-finite
    /// values are left out; with fewer than two finite points there is nothing to draw and nothing is written.
    /// When there are more points than <paramref name="width"/> columns, each column shows the last point that
    /// falls in it.
    /// </summary>
    public static void Write(TextWriter output, IReadOnlyList<long> steps, IReadOnlyList<double> values, int width = 60, int height = 10)
    {
        var points = steps.Zip(values).Where(p => double.IsFinite(p.Second)).ToArray();
        if (points.Length < 2) return;
        double min = points.Min(p => p.Second), max = points.Max(p => p.Second);
        long first = points[0].First, last = points[^1].First;
        var columns = Math.Min(width, points.Length);
        var grid = new char[height, columns];
        for (var r = 0; r < height; r++)
            for (var c = 0; c < columns; c++) grid[r, c] = ' ';
        foreach (var (step, value) in points)
        {
            var column = last == first ? 0 : (int)Math.Round((double)(step - first) / (last - first) * (columns - 1));
            var row = max == min ? height / 2 : (int)Math.Round((max - value) / (max - min) * (height - 1));
            for (var r = 0; r < height; r++) if (grid[r, column] == '*') grid[r, column] = ' ';
            grid[row, column] = '*';
        }

        var top = ValueText.Number(max);
        var bottom = ValueText.Number(min);
        var labelWidth = Math.Max(top.Length, bottom.Length);
        for (var r = 0; r < height; r++)
        {
            var label = r == 0 ? top : r == height - 1 ? bottom : "";
            var line = new char[columns];
            for (var c = 0; c < columns; c++) line[c] = grid[r, c];
            output.WriteLine($"{label.PadLeft(labelWidth)} |{new string(line).TrimEnd()}");
        }
        output.WriteLine($"{new string(' ', labelWidth)} +{new string('-', columns)}");
        var firstLabel = "step " + first.ToString(CultureInfo.InvariantCulture);
        var lastLabel = last.ToString(CultureInfo.InvariantCulture);
        var gap = Math.Max(1, columns - firstLabel.Length - lastLabel.Length);
        output.WriteLine($"{new string(' ', labelWidth + 2)}{firstLabel}{new string(' ', gap)}{lastLabel}");
    }
}
